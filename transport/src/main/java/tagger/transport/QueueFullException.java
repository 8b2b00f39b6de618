package tagger.transport;

/** The queue refused the job because it reached its length limit; callers shed load (429). */
public class QueueFullException extends RuntimeException {
    public QueueFullException(String message) {
        super(message);
    }
}
