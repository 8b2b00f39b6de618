package tagger.api.bulk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tagger.transport.BatchStore;

/**
 * Tells a batch the result store lost from one that expired or never existed. Every batch this
 * api-server accepts is remembered with the store's epoch at the time ({@link BatchStore#epoch}); when
 * such a batch is missing from the store and the epoch has changed since, the store lost its data
 * (Redis restarted without persistence) and the batch is reported {@code lost}, never a bare 404.
 * Remembers the newest {@link #MAX_ENTRIES} batches (memory bound); older ones fall back to 404.
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
    private final Map<String, String> accepted = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    StoreEpochs(BatchStore store) {
        this.store = store;
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
            return Optional.empty();
        }
        String now = store.epoch();
        if (now.equals(then)) {
            // missing from an intact store: it expired, and stays a plain 404 even if the store is lost later
            synchronized (this) {
                accepted.remove(batchId);
            }
            return Optional.empty();
        }
        return Optional.of(new Lost(batchId, then, now));
    }
}
