package tagger.api.download;

import tagger.common.ErrorCode;

/**
 * The origin answered with a non-2xx status ({@link ErrorCode#ORIGIN_STATUS}); keeps the status and
 * its {@code Retry-After} header so a retrying caller can tell a passing overload from a missing image.
 */
public final class OriginStatusException extends DownloadException {
    private final int status;
    private final String retryAfter;

    public OriginStatusException(int status, String retryAfter, String message) {
        super(ErrorCode.ORIGIN_STATUS, message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The raw {@code Retry-After} header (seconds or an HTTP date), or null. */
    public String retryAfter() {
        return retryAfter;
    }
}
