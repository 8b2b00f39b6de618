package tagger.api.http;

/**
 * Body of a request-level error (the request as a whole was refused, as opposed to one image failing):
 * {@code {"error": {"code": "invalid_request", "message": "..."}}}.
 */
record ErrorBody(Detail error) {
    record Detail(String code, String message) {
    }

    static ErrorBody of(String code, String message) {
        return new ErrorBody(new Detail(code, message));
    }
}
