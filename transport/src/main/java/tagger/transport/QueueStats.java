package tagger.transport;

import java.util.Map;

/** How much work waits in the queues right now, for operators and scaling advice. */
public interface QueueStats extends AutoCloseable {

    /**
     * One queue's state.
     *
     * @param messages  jobs ready for delivery (delivered, unacknowledged ones are not counted)
     * @param consumers workers consuming it
     */
    record Depth(long messages, int consumers) {
    }

    /** The queue of each traffic class under its key ("realtime", "bulk") and the dead-letter queue under "dead". */
    String DEAD = "dead";

    /** The bulk download stage's queue of URLs not yet downloaded. */
    String BULK_URLS = "bulk-urls";

    /**
     * The depth of every queue; a queue that does not exist yet counts as empty.
     *
     * @throws QueueUnavailableException when the broker cannot be reached
     */
    Map<String, Depth> depths();

    @Override
    default void close() {
    }
}
