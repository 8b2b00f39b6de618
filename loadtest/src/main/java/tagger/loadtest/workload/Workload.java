package tagger.loadtest.workload;

import java.util.concurrent.CompletableFuture;

/**
 * One kind of operation the generator offers, measured from start to answer: a real-time call
 * ({@link RealtimeWorkload}) or a whole bulk batch (submit, poll until complete, read every outcome:
 * {@link BulkWorkload}). Both fit one seam because the driver only needs "start operation i" and
 * the {@link Exchange} it ends with.
 */
public interface Workload {

    /** Short name used as the traffic class in reports, e.g. "url", "bytes", "multi", "bulk". */
    String name();

    /**
     * Starts operation {@code index} (unique within a run). Never throws for a failed request: the
     * future completes with an exchange describing the failure.
     *
     * @param faults whether the origin may inject its configured faults (false for validation)
     */
    CompletableFuture<Exchange> issue(long index, boolean faults);
}
