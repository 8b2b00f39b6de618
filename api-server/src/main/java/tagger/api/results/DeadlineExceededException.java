package tagger.api.results;

/** The request's deadline passed before its result arrived. */
public class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String message) {
        super(message);
    }
}
