package tagger.imaging;

/**
 * What {@link Preprocessor#preprocess} did to one image and how long each step took.
 *
 * @param format       the sniffed format, e.g. {@code JPEG}
 * @param sourceWidth  width declared by the file
 * @param sourceHeight height declared by the file
 * @param decodeNanos  bytes to RGB samples (sniff, header, decode, colour and alpha handling)
 * @param resizeNanos  resize, crop, normalise and layout into the tensor
 */
public record Preprocessed(String format, int sourceWidth, int sourceHeight, long decodeNanos, long resizeNanos) {

    public double decodeMillis() {
        return decodeNanos / 1e6;
    }

    public double resizeMillis() {
        return resizeNanos / 1e6;
    }

    /** Decode plus resize: the {@code preprocess} stage of the result's timings. */
    public double totalMillis() {
        return (decodeNanos + resizeNanos) / 1e6;
    }
}
