package tagger.worker.results;

import java.time.Duration;
import tagger.common.CachedTags;
import tagger.common.JobMeta;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Names;
import tagger.common.TagResult;
import tagger.transport.ResultStore.CacheEntry;

/**
 * Turns a worker's successful result into its result cache entry: keyed by the image's content hash
 * (computed by the api-server, which has the original bytes) and this worker's own model, so an
 * entry always names the model that really produced it. Immutable and thread-safe.
 *
 * @param ttl how long entries live; zero or less turns caching off in this worker
 */
public record CacheEntries(Names names, ModelRef model, int defaultTopK, double defaultMinScore, int labelCount,
        boolean probabilities, Duration ttl) {

    /** A worker that caches nothing. */
    public static CacheEntries off(Names names, ModelRef model) {
        return new CacheEntries(names, model, 1, 0, 1, true, Duration.ZERO);
    }

    /** The entry for {@code result}, or null: errors, opted-out jobs and jobs without a hash are not cached. */
    public CacheEntry of(JobMeta meta, TagResult result) {
        if (ttl.isZero() || ttl.isNegative() || result.failed() || meta.contentHash() == null || meta.noCache()) {
            return null;
        }
        int topK = meta.topK() == null ? defaultTopK : meta.topK();
        double minScore = meta.minScore() == null ? defaultMinScore : meta.minScore();
        CachedTags entry = new CachedTags(result.tags(), model, topK, minScore, defaultTopK, defaultMinScore,
                labelCount, probabilities);
        return new CacheEntry(names.cacheKey(meta.contentHash(), model), Json.write(entry), ttl);
    }
}
