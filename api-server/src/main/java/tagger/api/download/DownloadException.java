package tagger.api.download;

import tagger.common.ErrorCode;

/** A download failed; the code says why in a way clients can script against. */
public class DownloadException extends RuntimeException {
    private final ErrorCode code;

    public DownloadException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public DownloadException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
