package tagger.loadtest.schedule;

import tagger.loadtest.workload.Exchange;

/** Where the driver reports each send and each answer (the level's recorder). Called from many threads. */
public interface Sink {

    /**
     * A request went out.
     *
     * @param capped whether it waited for a free in-flight slot (the generator's cap, not the server)
     */
    void sent(long intendedNanos, long sentNanos, boolean capped);

    /** A request finished, with an answer or a transport error. */
    void completed(long intendedNanos, long sentNanos, long doneNanos, Exchange exchange);
}
