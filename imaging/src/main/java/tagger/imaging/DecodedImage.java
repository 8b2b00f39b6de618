package tagger.imaging;

/**
 * An image decoded to opaque 8-bit RGB samples, ready for {@link Preprocessor#write}; possibly
 * subsampled, so {@link #width()} can be smaller than {@link #sourceWidth()}. Immutable once built.
 */
public final class DecodedImage {

    private final String format;
    private final int sourceWidth;
    private final int sourceHeight;
    private final long decodeNanos;
    final Samples samples;

    DecodedImage(String format, int sourceWidth, int sourceHeight, Samples samples, long decodeNanos) {
        this.format = format;
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.samples = samples;
        this.decodeNanos = decodeNanos;
    }

    /** The sniffed format, e.g. {@code JPEG}. */
    public String format() {
        return format;
    }

    /** Width as declared by the file. */
    public int sourceWidth() {
        return sourceWidth;
    }

    /** Height as declared by the file. */
    public int sourceHeight() {
        return sourceHeight;
    }

    /** Width of the decoded pixels the tensor is sampled from. */
    public int width() {
        return samples.width();
    }

    /** Height of the decoded pixels the tensor is sampled from. */
    public int height() {
        return samples.height();
    }

    /** Time spent decoding, including colour conversion and alpha compositing. */
    public long decodeNanos() {
        return decodeNanos;
    }

    @Override
    public String toString() {
        return format + " " + sourceWidth + "x" + sourceHeight + " decoded at " + width() + "x" + height();
    }

    /**
     * Where the samples are: the R, G and B bytes of pixel (x, y) sit at
     * {@code data[base + y * rowStride + x * pixelStride + red|green|blue]}, unsigned; no alpha
     * (it was composited away). Grayscale uses the same offset for all three.
     */
    record Samples(byte[] data, int width, int height, int base, int pixelStride, int rowStride,
                   int red, int green, int blue) {

        /** Tightly packed R, G, B bytes, as the converting paths produce them. */
        static Samples packedRgb(byte[] rgb, int width, int height) {
            return new Samples(rgb, width, height, 0, 3, 3 * width, 0, 1, 2);
        }
    }
}
