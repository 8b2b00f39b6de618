package tagger.worker.pipeline;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private record Known(boolean cancelled, long checkedAt) {
    }

    private final Function<Collection<String>, Set<String>> lookup;
    private final LongSupplier millis;
    private final long ttlMs;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    BatchCancellations(Function<Collection<String>, Set<String>> lookup, LongSupplier millis, long ttlMs) {
        this.lookup = lookup;
        this.millis = millis;
        this.ttlMs = ttlMs;
    }

    boolean isCancelled(String batchId) {
        long now = millis.getAsLong();
        Known k = known.get(batchId);
        if (k != null && now - k.checkedAt() < ttlMs) {
            return k.cancelled();
        }
        boolean cancelled;
        try {
            cancelled = lookup.apply(List.of(batchId)).contains(batchId);
        } catch (StoreUnavailableException e) {
            log.debug("cannot tell whether batch {} was cancelled; tagging its item anyway: {}", batchId,
                    e.getMessage());
            return false;
        }
        if (known.size() >= MAX_ENTRIES) {
            known.clear();
        }
        known.put(batchId, new Known(cancelled, now));
        return cancelled;
    }
}
