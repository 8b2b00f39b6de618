package tagger.api.bulk;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.api.download.DownloadException;
import tagger.api.download.GuardedPoster;
import tagger.common.Backoff;
import tagger.common.ErrorCode;
import tagger.common.Json;
import tagger.transport.BatchStore;
import tagger.transport.StoreUnavailableException;

/**
 * Delivers each finished batch's callback: one POST of its summary ({@link BatchView}) to its
 * {@code callbackUrl}, under the downloader's SSRF rules, retried with exponential backoff until a
 * 2xx or {@code maxAttempts}. Due callbacks are claimed from the store with a lease, so any api-server
 * may deliver one and one that dies mid-delivery leaves it to another after the lease: delivery is
 * at least once (the {@code Tagger-Batch-Id} header lets receivers drop a repeat).
 */
final class CallbackSender {
    static final Duration LEASE = Duration.ofMinutes(1);
    static final Duration MAX_DELAY = Duration.ofMinutes(10);
    private static final long TICK_MS = 500;
    private static final int PER_TICK = 16;
    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);

    private final BatchStore store;
    private final GuardedPoster poster;
    private final int maxAttempts;
    private final Duration retryBase;
    private final BulkMetrics metrics;
    private final Clock clock;

    CallbackSender(BatchStore store, GuardedPoster poster, int maxAttempts, Duration retryBase, BulkMetrics metrics,
            Clock clock) {
        this.store = store;
        this.poster = poster;
        this.maxAttempts = maxAttempts;
        this.retryBase = retryBase;
        this.metrics = metrics;
        this.clock = clock;
    }

    void start(ScheduledExecutorService timer) {
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Delivers what is due, a few at a time. */
    void tick() {
        try {
            for (int i = 0; i < PER_TICK; i++) {
                Optional<BatchStore.CallbackClaim> claim = store.claimCallback(LEASE);
                if (claim.isEmpty()) {
                    return;
                }
                deliver(claim.get());
            }
        } catch (StoreUnavailableException e) {
            log.debug("batch callbacks wait for the store: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("batch callback delivery failed unexpectedly", e);
        }
    }

    private void deliver(BatchStore.CallbackClaim claim) {
        Optional<BatchStore.Batch> batch = store.batch(claim.batchId());
        if (batch.isEmpty() || batch.get().callbackUrl() == null) {
            store.callbackSettled(claim.batchId(), "dropped: the batch is gone");
            return;
        }
        String url = batch.get().callbackUrl();
        byte[] body = Json.writeBytes(BatchView.of(batch.get(), clock.millis()));
        String why;
        boolean permanent = false;
        try {
            int status = poster.post(url, body, claim.batchId());
            if (status >= 200 && status < 300) {
                store.callbackSettled(claim.batchId(), "delivered");
                metrics.callback("delivered");
                return;
            }
            why = "HTTP " + status;
        } catch (DownloadException e) {
            why = e.code().code() + ": " + e.getMessage();
            permanent = e.code() == ErrorCode.INVALID_URL || e.code() == ErrorCode.BLOCKED_ADDRESS;
        }
        if (permanent || claim.attempt() >= maxAttempts) {
            log.warn("giving up the callback of batch {} to {} after {} attempt(s): {}", claim.batchId(), url,
                    claim.attempt(), why);
            store.callbackSettled(claim.batchId(), "failed after " + claim.attempt() + " attempt(s): " + why);
            metrics.callback("failed");
            return;
        }
        Duration delay = delay(claim.attempt());
        store.callbackRetry(claim.batchId(), delay, "retrying in " + delay.toSeconds() + " s after " + why);
        metrics.callback("retry");
    }

    /** Backoff after the {@code attempt}-th failure: base, 2 × base, 4 × base ... up to {@link #MAX_DELAY}. */
    Duration delay(int attempt) {
        return Backoff.exponential(retryBase, attempt, MAX_DELAY);
    }
}
