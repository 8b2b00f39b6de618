package tagger.worker.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.transport.StoreUnavailableException;

/**
 * Whether a bulk batch was cancelled, asked of the result store at most once per batch per
 * {@code ttlMs}: a cancelled batch's queued items are then answered {@code cancelled} without being
 * decoded or inferred. When the store cannot be asked the item is processed (its outcome is still
 * recorded only once).
 */
final class BatchCancellations {
    /** Entries kept; a worker sees few batches at a time, more than this means stale ones piled up. */
    static final int MAX_ENTRIES = 10_000;
    private static final Logger log = LoggerFactory.getLogger(BatchCancellations.class);

    private final Function<Collection<String>, Set<String>> lookup;
    private final Cache<String, Boolean> known;

    BatchCancellations(Function<Collection<String>, Set<String>> lookup, LongSupplier millis, long ttlMs) {
        this.lookup = lookup;
        this.known = Caffeine.newBuilder().expireAfterWrite(Duration.ofMillis(ttlMs)).maximumSize(MAX_ENTRIES)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(millis.getAsLong())).executor(Runnable::run).build();
    }

    boolean isCancelled(String batchId) {
        try {
            return known.get(batchId, id -> lookup.apply(List.of(id)).contains(id));
        } catch (StoreUnavailableException e) {
            log.debug("cannot tell whether batch {} was cancelled; tagging its item anyway: {}", batchId,
                    e.getMessage());
            return false;
        }
    }
}
