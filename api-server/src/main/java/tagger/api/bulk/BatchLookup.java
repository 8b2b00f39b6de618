package tagger.api.bulk;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import tagger.transport.BatchStore;

/**
 * Batches as the download stage needs them (cancelled? taken over mid-intake?), read from the store at
 * most once per batch per {@code ttlMs}: a batch of 10 000 items costs a handful of reads, not 10 000.
 */
final class BatchLookup {
    static final int MAX_ENTRIES = 10_000;

    private record Known(Optional<BatchStore.Batch> batch, long readAt) {
    }

    private final BatchStore store;
    private final LongSupplier millis;
    private final long ttlMs;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    BatchLookup(BatchStore store, LongSupplier millis, long ttlMs) {
        this.store = store;
        this.millis = millis;
        this.ttlMs = ttlMs;
    }

    /**
     * The batch, empty when the store does not know it (expired, never created).
     *
     * @throws tagger.transport.StoreUnavailableException when the store cannot be read
     */
    Optional<BatchStore.Batch> batch(String batchId) {
        long now = millis.getAsLong();
        Known k = known.get(batchId);
        if (k != null && now - k.readAt() < ttlMs) {
            return k.batch();
        }
        Optional<BatchStore.Batch> b = store.batch(batchId);
        if (known.size() >= MAX_ENTRIES) {
            known.clear();
        }
        known.put(batchId, new Known(b, now));
        return b;
    }
}
