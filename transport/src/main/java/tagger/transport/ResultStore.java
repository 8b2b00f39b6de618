package tagger.transport;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import tagger.common.TagResult;

/**
 * Where workers put results: first writer wins, then the waiting api-server is notified. Results of
 * bulk items (a {@code batchId} is set) go to their batch's results log instead, once per item.
 */
public interface ResultStore extends AutoCloseable {

    /**
     * A result and the api-server instance waiting for it (null when nobody waits); {@code batchId}
     * is set for bulk items, whose result is recorded in that batch (see {@link BatchStore});
     * {@code cache}, when set, is written to the result cache in the same round trip.
     */
    record Completion(TagResult result, String replyTo, String batchId, CacheEntry cache) {
        public Completion(TagResult result, String replyTo) {
            this(result, replyTo, null, null);
        }

        public Completion(TagResult result, String replyTo, String batchId) {
            this(result, replyTo, batchId, null);
        }
    }

    /**
     * A result cache entry: {@code json} (a {@link tagger.common.CachedTags}) under {@code key} for
     * {@code ttl}. Written unconditionally: every entry for one key is a correct answer for it.
     */
    record CacheEntry(String key, String json, Duration ttl) {
    }

    /**
     * Stores each result unless one is already stored under its request id (for bulk items: its
     * batch and item id), then notifies its waiter with the stored (winning) result. Returns how many
     * were stored by this call.
     *
     * @throws StoreUnavailableException when the store cannot be reached; nothing may be acked then
     */
    int complete(List<Completion> completions);

    /**
     * Like {@link #complete}, telling for each completion whether this call stored it (true) or an
     * earlier answer had won (false: a redelivered duplicate), so a duplicate is never counted as an
     * outcome of its own. Stores that cannot tell which items lost answer only all-or-none batches.
     *
     * @throws StoreUnavailableException when the store cannot be reached; nothing may be acked then
     */
    default List<Boolean> completeEach(List<Completion> completions) {
        int stored = complete(completions);
        if (stored != 0 && stored != completions.size()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " stored " + stored + " of "
                    + completions.size() + " results and cannot tell which");
        }
        return java.util.Collections.nCopies(completions.size(), stored != 0);
    }

    /**
     * Which of these bulk batches were cancelled, so their remaining items are not worth decoding.
     * Unknown batches are not cancelled.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    default Set<String> cancelledBatches(Collection<String> batchIds) {
        return Set.of();
    }

    boolean isReady();

    @Override
    void close();
}
