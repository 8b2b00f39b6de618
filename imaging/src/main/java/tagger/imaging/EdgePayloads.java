package tagger.imaging;

import java.util.Locale;

/**
 * The message content type of edge payloads, {@code application/vnd.tagger.pixels+jpeg; spec=224x224-crop256}:
 * the body is a 4:4:4 JPEG at the model's input size and the {@code spec} parameter is the
 * {@link PixelSpec#fingerprint() fingerprint} it was made for. Originals keep their image MIME type,
 * so both kinds of message share one queue.
 */
public final class EdgePayloads {
    public static final String CONTENT_TYPE = "application/vnd.tagger.pixels+jpeg";
    private static final String SPEC_PARAMETER = "spec=";

    private EdgePayloads() {
    }

    public static String contentType(PixelSpec spec) {
        return CONTENT_TYPE + "; " + SPEC_PARAMETER + spec.fingerprint();
    }

    /** True for a message carrying edge pixels rather than an original image. */
    public static boolean isPayload(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE);
    }

    /** The fingerprint in the {@code spec} parameter, or null when there is none. */
    static String fingerprint(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.startsWith(SPEC_PARAMETER)) {
                return p.substring(SPEC_PARAMETER.length());
            }
        }
        return null;
    }
}
