package tagger.api.http;

/** A request refused as a whole: answered by {@link RequestErrors} with its status, code and message. */
public class RequestException extends RuntimeException {
    private final RequestCode code;
    private final int status;

    /** Answered with the code's own status. */
    public RequestException(RequestCode code, String message) {
        this(code, code.status(), message);
    }

    public RequestException(RequestCode code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** The request is malformed: 400 {@code invalid_request}. */
    public static RequestException invalid(String message) {
        return new RequestException(RequestCode.INVALID_REQUEST, message);
    }

    public RequestCode code() {
        return code;
    }

    public int status() {
        return status;
    }
}
