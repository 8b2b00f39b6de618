package tagger.transport;

import java.util.concurrent.CompletableFuture;
import tagger.common.ImageJob;

/** Hands image jobs to the queue. A job is accepted only when the returned future completes normally. */
public interface JobPublisher extends AutoCloseable {

    /**
     * Publishes one job. The future completes when the broker confirmed it, or fails with
     * {@link QueueUnavailableException} (broker down, nack, confirm timeout) or {@link QueueFullException}
     * (the queue's length limit refused it). Never blocks the caller on the network.
     */
    CompletableFuture<Void> publish(ImageJob job);

    /** True when a publish has a chance to succeed right now. */
    boolean isReady();

    @Override
    void close();
}
