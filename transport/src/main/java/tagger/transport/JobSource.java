package tagger.transport;

import java.util.function.Consumer;
import tagger.common.TrafficClass;

/**
 * Delivers queued image jobs to a worker, at most {@code prefetch} unsettled at a time per traffic
 * class (so a bulk backlog never takes real-time's window).
 */
public interface JobSource extends AutoCloseable {

    /**
     * Starts consuming the queues of the given classes. Each delivery must eventually be settled
     * with exactly one of ack, requeue or deadLetter; the handler runs on the source's thread and
     * must return quickly.
     */
    void start(int prefetch, Consumer<JobDelivery> handler, TrafficClass... classes);

    /** Stops new deliveries; unsettled ones can still be settled until {@link #close()}. */
    void stop();

    boolean isReady();

    /** Closes the source; deliveries not settled by now go back to the queue. */
    @Override
    void close();
}
