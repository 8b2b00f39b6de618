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
    private final TensorWriter payloadWriter;
    private final PixelSpec pixels;
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
        this.payloadWriter = new TensorWriter(input.alreadySized());
        this.pixels = input.pixels();
        // libheif in child processes (started on the first HEIC/AVIF): a native crash fails one image, not the worker
        this.decoder = new ImageDecoder(ImageFormat.readers(), maxPixels, writer::subsampling, new IsolatedHeifDecoder(
                IsolatedHeifDecoder.javaCommand(HeifProcess.class.getName()), Runtime.getRuntime().availableProcessors()));
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
     * Decodes JPEG (also CMYK/YCCK), PNG, GIF (first frame), BMP, WebP (first frame), TIFF, HEIC or
     * AVIF, recognised by magic bytes, upright (EXIF orientation) and in sRGB (embedded profiles converted).
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
        EmbeddedMetadata metadata = EmbeddedMetadata.read(image);
        if (metadata.jpegComponents() == 4) {
            return null; // CMYK, YCCK: TwelveMonkeys through ImageIO
        }
        // the scale must cover the resize of the upright picture: turned 90°, width and height swap
        TurboJpeg.ScalingFactor factor = turbo.smallestCovering(info.width(), info.height(),
                metadata.orientation().transposes() ? (w, h) -> writer.covers(h, w) : writer::covers);
        TurboJpeg.Decoded d = turbo.decode(image, factor);
        if (d.unsupported() != null) {
            return null;
        }
        Samples samples = ImageDecoder.upright(Samples.packedRgb(d.rgb(), d.width(), d.height()),
                metadata.iccProfile(), metadata.orientation());
        return new DecodedImage("JPEG", info.width(), info.height(), samples, System.nanoTime() - start);
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

    /** The pixels an edge payload must hold for this model; its fingerprint goes into presence. */
    public PixelSpec pixels() {
        return pixels;
    }

    /**
     * {@link #decode} then {@link #write}, timing both. An edge payload ({@link EdgePayloads}) made for
     * this model's {@link #pixels()} is only decoded and normalised; one made for other pixels is refused.
     */
    public Preprocessed preprocess(byte[] image, String contentType, FloatBuffer batch, int offset)
            throws UndecodableImageException {
        if (EdgePayloads.isPayload(contentType)) {
            return preprocessPayload(image, contentType, batch, offset);
        }
        DecodedImage decoded = decode(image, contentType);
        long resizeNanos = write(decoded, batch, offset);
        return new Preprocessed(decoded.format(), decoded.sourceWidth(), decoded.sourceHeight(),
                decoded.decodeNanos(), resizeNanos);
    }

    private Preprocessed preprocessPayload(byte[] payload, String contentType, FloatBuffer batch, int offset)
            throws UndecodableImageException {
        String made = EdgePayloads.fingerprint(contentType);
        if (!pixels.fingerprint().equals(made)) {
            throw UndecodableImageException.preprocessMismatch("the api-server preprocessed this image for "
                    + (made == null ? "an unnamed spec" : made) + ", this worker's model needs " + pixels.fingerprint()
                    + " (a model rollout overtook the message; submit the image again)");
        }
        DecodedImage decoded = decode(payload, contentType);
        if (decoded.width() != pixels.width() || decoded.height() != pixels.height()) {
            throw UndecodableImageException.undecodable("edge payload for " + made + " holds " + decoded.width() + "x"
                    + decoded.height() + " px");
        }
        long start = System.nanoTime();
        payloadWriter.write(decoded.samples, batch, offset);
        return new Preprocessed(decoded.format(), decoded.sourceWidth(), decoded.sourceHeight(), decoded.decodeNanos(),
                System.nanoTime() - start);
    }
}
