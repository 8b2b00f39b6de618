package tagger.common;

import java.util.Objects;

/**
 * One image on its way to a worker: metadata plus the bytes exactly as downloaded.
 *
 * @param contentType MIME type identified from the magic bytes (e.g. {@code image/jpeg}); a future
 *                    "edge preprocessing" mode may carry pixels under another type
 */
public record ImageJob(JobMeta meta, String contentType, byte[] body) {

    public ImageJob {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    public String requestId() {
        return meta.requestId();
    }
}
