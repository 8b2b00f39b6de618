package tagger.imaging;

import tagger.common.ErrorCode;

/** Bytes were refused as an image: not a supported format, a broken header, or too many pixels. */
public class ImageRejectedException extends RuntimeException {
    private final ErrorCode code;

    public ImageRejectedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
