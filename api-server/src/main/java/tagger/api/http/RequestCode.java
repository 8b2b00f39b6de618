package tagger.api.http;

import java.util.Locale;

/**
 * The codes of request-level errors — the request as a whole is refused, before or instead of its
 * images — each with the status it is answered with unless a {@link RequestException} says otherwise.
 * The codes of single images are {@link tagger.common.ErrorCode}. DESIGN.md "HTTP API".
 */
public enum RequestCode {
    INVALID_REQUEST(400),
    NOT_FOUND(404),
    BATCH_LOST(410),
    BATCH_IN_PROGRESS(409),
    BATCH_FINISHED(409),
    PAYLOAD_TOO_LARGE(413),
    TOO_MANY_ITEMS(413),
    NO_VALID_ITEMS(422),
    IDEMPOTENCY_MISMATCH(422),
    OVERLOADED(429),
    UNAVAILABLE(503);

    private final int status;

    RequestCode(int status) {
        this.status = status;
    }

    /** The code as it appears in {@code error.code}, e.g. {@code invalid_request}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int status() {
        return status;
    }
}
