package tagger.api.bulk;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import tagger.transport.BatchStore;

/**
 * Batches as the download stage needs them (cancelled? taken over mid-intake?), read from the store at
 * most once per batch per {@code ttlMs}: a batch of 10 000 items costs a handful of reads, not 10 000.
 */
final class BatchLookup {
    static final int MAX_ENTRIES = 10_000;

    private final BatchStore store;
    private final Cache<String, Optional<BatchStore.Batch>> known;

    BatchLookup(BatchStore store, LongSupplier millis, long ttlMs) {
        this.store = store;
        this.known = Caffeine.newBuilder().expireAfterWrite(Duration.ofMillis(ttlMs)).maximumSize(MAX_ENTRIES)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(millis.getAsLong())).executor(Runnable::run).build();
    }

    /**
     * The batch, empty when the store does not know it (expired, never created).
     *
     * @throws tagger.transport.StoreUnavailableException when the store cannot be read (nothing is cached then)
     */
    Optional<BatchStore.Batch> batch(String batchId) {
        return known.get(batchId, store::batch);
    }
}
