package tagger.imaging;

import tagger.common.ErrorCode;

/**
 * An image the worker could not or would not decode; permanent, so redelivering it cannot help.
 * The message says which format and what failed; {@link #code()} is the stable error code for the result.
 */
public final class UndecodableImageException extends Exception {

    private final ErrorCode code;

    private UndecodableImageException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    static UndecodableImageException undecodable(String message) {
        return new UndecodableImageException(ErrorCode.UNDECODABLE, message, null);
    }

    static UndecodableImageException undecodable(String message, Throwable cause) {
        return new UndecodableImageException(ErrorCode.UNDECODABLE, message, cause);
    }

    /** The header declares more pixels than the worker's cap: a decompression bomb the api-server did not stop. */
    static UndecodableImageException tooManyPixels(String message) {
        return new UndecodableImageException(ErrorCode.TOO_MANY_PIXELS, message, null);
    }

    /** An edge payload made for another model input than this worker's: inferring on it would give wrong tags. */
    static UndecodableImageException preprocessMismatch(String message) {
        return new UndecodableImageException(ErrorCode.PREPROCESS_MISMATCH, message, null);
    }

    /** {@link ErrorCode#UNDECODABLE}, {@link ErrorCode#PREPROCESS_MISMATCH} for a payload made for another spec, or {@link ErrorCode#TOO_MANY_PIXELS} when the pixel cap refused it. */
    public ErrorCode code() {
        return code;
    }
}
