package tagger.api.http;

import tagger.common.ErrorCode;

/** The HTTP status of a single-image answer, from its error code (DESIGN.md "HTTP API"). */
final class Statuses {
    /** Seconds a shed caller is asked to wait before retrying. */
    static final String RETRY_AFTER_SECONDS = "1";

    private Statuses() {
    }

    static int of(ErrorCode code) {
        if (code == null) {
            return 200;
        }
        return switch (code) {
            case INVALID_URL -> 400;
            case TOO_LARGE, TOO_MANY_PIXELS -> 413;
            case OVERLOADED -> 429;
            case UNAVAILABLE, PREPROCESS_MISMATCH -> 503; // a retry is preprocessed for the new model
            case DEADLINE_EXCEEDED -> 504;
            case BLOCKED_ADDRESS, DOWNLOAD_FAILED, DOWNLOAD_TIMEOUT, ORIGIN_STATUS, TOO_MANY_REDIRECTS, NOT_AN_IMAGE,
                    UNDECODABLE, INFERENCE_FAILED, DELIVERY_LIMIT, CANCELLED -> 422;
        };
    }
}
