package tagger.transport;

/** Reads how many messages wait in a queue and how many consumers drain it, right now. */
@FunctionalInterface
public interface QueueProbe {

    /** Messages ready for delivery (not counting delivered, unacknowledged ones) and consumers. */
    record Depth(long ready, int consumers) {
    }

    /** @throws QueueUnavailableException when the broker cannot be asked */
    Depth depth(String queue);
}
