package tagger.imaging;

/**
 * One image preprocessed at the edge, ready to publish instead of the original bytes.
 *
 * @param contentType  {@link EdgePayloads#CONTENT_TYPE} with the pixel spec's fingerprint
 * @param body         a 4:4:4 JPEG of exactly the spec's width × height
 * @param format       the original's sniffed format, e.g. {@code JPEG}
 * @param decodeNanos  original bytes to RGB samples
 * @param resizeNanos  resize and crop to the spec's pixels
 * @param encodeNanos  pixels to the payload JPEG
 */
public record EdgePayload(String contentType, byte[] body, String format, int sourceWidth, int sourceHeight,
        long decodeNanos, long resizeNanos, long encodeNanos) {

    /** Decode + resize + encode: the {@code edgePreprocess} stage of the result's timings. */
    public double totalMillis() {
        return (decodeNanos + resizeNanos + encodeNanos) / 1e6;
    }
}
