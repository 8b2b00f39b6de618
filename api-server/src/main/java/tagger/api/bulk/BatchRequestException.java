package tagger.api.bulk;

/** A submission refused as a whole (not one item): answered with its status, code and message. */
final class BatchRequestException extends RuntimeException {
    private final int status;
    private final String code;

    BatchRequestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static BatchRequestException invalid(String message) {
        return new BatchRequestException(400, "invalid_request", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
