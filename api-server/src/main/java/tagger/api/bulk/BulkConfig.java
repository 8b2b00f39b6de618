package tagger.api.bulk;

import java.time.Duration;
import tagger.common.Settings;

/**
 * Settings of the bulk path, read from {@code TAGGER_BULK_*} (see the README's configuration table).
 *
 * @param maxItems          items one {@code POST /v1/batches} may carry
 * @param maxRequestBytes   body size of one submission
 * @param downloads         bulk downloads at once per api-server, in a pool of their own (real-time's is apart)
 * @param perHost           bulk downloads at once per origin host per api-server
 * @param attempts          download attempts of an item before a transient failure becomes its outcome
 * @param retryBase         backoff before the second attempt; doubled for each further one
 * @param retryMax          longest backoff, and the most of an origin's {@code Retry-After} that is honoured
 * @param backlogPerWorker  bulk image jobs kept ready per consuming worker: downloading pauses above it
 * @param retention         how long a batch and its results stay in Redis after its last activity
 * @param callbackAttempts  deliveries of a batch's callback before it is given up
 * @param callbackRetryBase backoff before the second callback delivery; doubled for each further one
 */
public record BulkConfig(
        int maxItems,
        long maxRequestBytes,
        int downloads,
        int perHost,
        int attempts,
        Duration retryBase,
        Duration retryMax,
        int backlogPerWorker,
        Duration retention,
        int callbackAttempts,
        Duration callbackRetryBase) {

    /** Reads the settings; problems are added to {@code s} (the caller throws them all at once). */
    public static BulkConfig read(Settings s) {
        int downloads = s.integer("TAGGER_BULK_DOWNLOADS", 32, 1, 10_000);
        BulkConfig c = new BulkConfig(
                s.integer("TAGGER_BULK_MAX_ITEMS", 100_000, 1, 10_000_000),
                s.longValue("TAGGER_BULK_MAX_REQUEST_BYTES", 64L << 20, 1_024, 2L << 30),
                downloads,
                s.integer("TAGGER_BULK_PER_HOST", Math.min(16, downloads), 1, 10_000),
                s.integer("TAGGER_BULK_ATTEMPTS", 4, 1, 20),
                s.millis("TAGGER_BULK_RETRY_BASE_MS", 1_000, 1, 600_000),
                s.millis("TAGGER_BULK_RETRY_MAX_MS", 60_000, 1, 3_600_000),
                s.integer("TAGGER_BULK_BACKLOG_PER_WORKER", 32, 1, 100_000),
                s.millis("TAGGER_BULK_RETENTION_MS", Duration.ofDays(7).toMillis(), 1_000,
                        Duration.ofDays(90).toMillis()),
                s.integer("TAGGER_BULK_CALLBACK_ATTEMPTS", 8, 1, 100),
                s.millis("TAGGER_BULK_CALLBACK_RETRY_MS", 5_000, 1, 3_600_000));
        if (c.perHost > c.downloads) {
            s.problem("TAGGER_BULK_PER_HOST (" + c.perHost + ") must not exceed TAGGER_BULK_DOWNLOADS ("
                    + c.downloads + ")");
        }
        if (c.retryBase.compareTo(c.retryMax) > 0) {
            s.problem("TAGGER_BULK_RETRY_BASE_MS (" + c.retryBase.toMillis() + ") must not exceed "
                    + "TAGGER_BULK_RETRY_MAX_MS (" + c.retryMax.toMillis() + ")");
        }
        return c;
    }

    /** Unacknowledged bulk items each api-server holds: enough to keep every download slot busy. */
    public int prefetch() {
        return 2 * downloads;
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(attempts, retryBase, retryMax);
    }
}
