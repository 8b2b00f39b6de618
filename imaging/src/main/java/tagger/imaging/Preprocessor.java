package tagger.imaging;

import java.nio.FloatBuffer;

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

    /**
     * @param maxPixels largest width × height decoded; larger images are refused from their header
     * @throws IllegalArgumentException listing every problem with {@code input} or the cap
     * @throws IllegalStateException    when an image reader is missing from the class path
     */
    public Preprocessor(PreprocessSpec input, long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        }
        this.writer = new TensorWriter(input);
        // libheif in child processes (started on the first HEIC/AVIF): a native crash fails one image, not the worker
        this.decoder = new ImageDecoder(ImageFormat.readers(), maxPixels, writer::subsampling, new IsolatedHeifDecoder(
                IsolatedHeifDecoder.javaCommand(HeifProcess.class.getName()), Runtime.getRuntime().availableProcessors()));
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
        return decoder.decode(image, contentType);
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
