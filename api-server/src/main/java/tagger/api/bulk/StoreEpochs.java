package tagger.api.bulk;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tagger.transport.BatchStore;

/**
 * Tells a batch the result store lost from one that expired or never existed. A batch is lost when
 * it is missing from the store and was accepted under another store epoch ({@link BatchStore#epoch}):
 * the store lost its data since (Redis restarted without persistence), and the batch is reported
 * {@code lost}, never a bare 404. Two ways to know the epoch a batch was accepted under:
 * <ul>
 *   <li>its id, when the server made it up ({@link BatchIds}): any api-server can tell, as long as the
 *       id's creation time is within the retention — past it, the batch may simply have expired;</li>
 *   <li>for an id the client chose, this api-server's memory of the batches it accepted, the newest
 *       {@link #MAX_ENTRIES} (memory bound); older ones, and other servers, fall back to 404.</li>
 * </ul>
 */
final class StoreEpochs {
    static final int MAX_ENTRIES = 10_000;

    /** A batch accepted under {@code acceptedEpoch} whose store now has {@code currentEpoch}. */
    record Lost(String batchId, String acceptedEpoch, String currentEpoch) {
        String message() {
            return "batch " + batchId + " was accepted, but the result store lost its data since (store epoch "
                    + acceptedEpoch + " when accepted, now " + currentEpoch + ": Redis restarted without its data); "
                    + "its progress and outcomes are gone. Resubmit it (outcomes already delivered stay valid)";
        }
    }

    private final BatchStore store;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, String> accepted = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    StoreEpochs(BatchStore store, Duration retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /** The store's epoch now (read before a claim, so a loss right after the claim is still seen). */
    String current() {
        return store.epoch();
    }

    synchronized void accepted(String batchId, String epoch) {
        accepted.put(batchId, epoch);
    }

    /**
     * Whether a batch the store does not have was lost with the store's data.
     *
     * @throws tagger.transport.StoreUnavailableException when the store cannot be reached
     */
    Optional<Lost> lost(String batchId) {
        String then;
        synchronized (this) {
            then = accepted.get(batchId);
        }
        if (then == null) {
            return lostByItsId(batchId);
        }
        String now = store.epoch();
        if (now.equals(then)) {
            // missing from an intact store: it expired (or was deleted); a client's id stays a plain 404
            // even if the store is lost later, a generated one is judged by its id from then on
            synchronized (this) {
                accepted.remove(batchId);
            }
            return Optional.empty();
        }
        return Optional.of(new Lost(batchId, then, now));
    }

    /** For an id made by {@link BatchIds}: lost when it is within its retention and of another epoch. */
    private Optional<Lost> lostByItsId(String batchId) {
        Optional<BatchIds.Origin> origin = BatchIds.parse(batchId);
        if (origin.isEmpty() || origin.get().createdMs() + retention.toMillis() <= clock.millis()) {
            return Optional.empty(); // not ours to tell, or it may have expired
        }
        String now = store.epoch();
        if (BatchIds.tag(now) == origin.get().epochTag()) {
            return Optional.empty();
        }
        return Optional.of(new Lost(batchId, String.format("#%08x", origin.get().epochTag()),
                String.format("#%08x", BatchIds.tag(now))));
    }
}
