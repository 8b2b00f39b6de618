package tagger.worker.inference;

/** The inference runtime failed on a batch. */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
