package tagger.api.http;

/** The request itself is malformed; answered with 400 and the message. */
class BadRequestException extends RuntimeException {
    BadRequestException(String message) {
        super(message);
    }
}
