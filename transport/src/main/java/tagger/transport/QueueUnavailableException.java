package tagger.transport;

/** The broker could not take the job right now (down, nack, confirm timeout); retryable. */
public class QueueUnavailableException extends RuntimeException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public QueueUnavailableException(String message) {
        super(message);
    }
}
