package tagger.imaging;

import java.nio.FloatBuffer;
import tagger.imaging.DecodedImage.Samples;

/**
 * Turns encoded image bytes into one image's slice of a model input tensor: decode, then resize,
 * crop, normalise and lay out as the model's {@link PreprocessSpec} describes.
 *
 * <p>Thread-safe and meant to be shared by all preprocessing threads: it holds only immutable
 * configuration, and every call creates its own reader and scratch tables.
 */
public final class Preprocessor {

    private final TensorWriter writer;
    private final ImageDecoder decoder;
    private final TurboJpeg turbo;

    /**
     * @param maxPixels largest width × height decoded; larger images are refused from their header
     * @throws IllegalArgumentException listing every problem with {@code input} or the cap
     * @throws IllegalStateException    when an image reader is missing from the class path
     */
    public Preprocessor(PreprocessSpec input, long maxPixels) {
        this(input, maxPixels, TurboJpeg.shared().orElse(null));
    }

    /**
     * @param turbo libjpeg-turbo for JPEGs, or null to decode everything through ImageIO
     */
    public Preprocessor(PreprocessSpec input, long maxPixels, TurboJpeg turbo) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        }
        this.writer = new TensorWriter(input);
        this.decoder = new ImageDecoder(ImageFormat.readers(), maxPixels, writer::subsampling);
        this.turbo = turbo;
    }

    /** Which decoder JPEGs go through: {@code turbojpeg} or {@code imageio}; for logs, metrics and /v1/cluster. */
    public String jpegDecoder() {
        return turbo == null ? "imageio" : "turbojpeg";
    }

    /** Floats one image occupies in the batch buffer: 3 × width × height. */
    public int tensorSize() {
        return writer.tensorSize();
    }

    /**
     * Decodes JPEG, PNG, GIF (first frame), BMP or WebP, recognised by magic bytes.
     *
     * @param contentType the type the message declares; only quoted in errors, never trusted
     * @throws UndecodableImageException saying which format and what failed, or that the pixel cap refused it
     */
    public DecodedImage decode(byte[] image, String contentType) throws UndecodableImageException {
        if (turbo != null && ImageFormat.sniff(image) == ImageFormat.JPEG) {
            DecodedImage scaled = decodeScaled(image);
            if (scaled != null) {
                return scaled;
            }
        }
        return decoder.decode(image, contentType);
    }

    /**
     * libjpeg-turbo at the smallest DCT scale that still covers the resize, or null to let ImageIO
     * decide (a colour space or a warning TurboJPEG does not handle the way the ImageIO path does).
     * The header is read and the pixel cap checked in Java first, so native code only sees JPEGs
     * with a sane frame header.
     */
    private DecodedImage decodeScaled(byte[] image) throws UndecodableImageException {
        long start = System.nanoTime();
        ImageInfo info;
        try {
            info = ImageInfo.read(image);
        } catch (ImageRejectedException e) {
            throw UndecodableImageException.undecodable("cannot decode JPEG (" + image.length + " bytes): " + e.getMessage());
        }
        decoder.checkPixelCap("JPEG", info.width(), info.height());
        TurboJpeg.ScalingFactor factor = turbo.smallestCovering(info.width(), info.height(), writer::covers);
        TurboJpeg.Decoded d = turbo.decode(image, factor);
        if (d.unsupported() != null) {
            return null;
        }
        return new DecodedImage("JPEG", info.width(), info.height(), Samples.packedRgb(d.rgb(), d.width(), d.height()),
                System.nanoTime() - start);
    }

    /**
     * Writes the image's tensor into {@code batch} at float index {@code offset} (typically
     * i × {@link #tensorSize()}), with absolute puts: the buffer's position is left alone.
     *
     * @return nanoseconds spent
     * @throws IndexOutOfBoundsException when the tensor does not fit below the buffer's limit
     */
    public long write(DecodedImage image, FloatBuffer batch, int offset) {
        long start = System.nanoTime();
        writer.write(image.samples, batch, offset);
        return System.nanoTime() - start;
    }

    /** {@link #decode} then {@link #write}, timing both. */
    public Preprocessed preprocess(byte[] image, String contentType, FloatBuffer batch, int offset)
            throws UndecodableImageException {
        DecodedImage decoded = decode(image, contentType);
        long resizeNanos = write(decoded, batch, offset);
        return new Preprocessed(decoded.format(), decoded.sourceWidth(), decoded.sourceHeight(),
                decoded.decodeNanos(), resizeNanos);
    }
}
