package tagger.api.bulk;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tagger.api.http.RequestException;
import tagger.api.tracing.BulkSpans;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.Sha256;
import tagger.transport.BatchState;
import tagger.transport.BatchStore;
import tagger.transport.JobPublisher;

/**
 * Turns a parsed submission into a durable batch: claims the batch id (and idempotency key) in the
 * store <em>before</em> publishing anything, publishes one small message per item to the URL queue
 * with confirms, and marks the batch accepted only when every one is confirmed. The caller gets 202
 * only then; if it gets an error instead, resubmitting with the same key picks the intake up.
 */
final class BatchIntake {
    /** An intake silent for this long died with its api-server; a resubmission takes it over. */
    static final Duration STALE_AFTER = Duration.ofSeconds(30);
    /** Publishes awaiting their confirm per intake: far below the publisher's hand-off capacity. */
    static final int WINDOW = 200;
    private static final long ALIVE_EVERY_MS = 2_000;
    private static final String URL_LIST = "text/uri-list";

    /** What a submission came to. */
    sealed interface Result {
        /** Every item is queued (by this call when {@code created}, or by an earlier one with the same key). */
        record Accepted(BatchStore.Batch batch, boolean created) implements Result {
        }

        /** Another request is queueing this batch's items right now. */
        record InProgress(String batchId) implements Result {
        }

        /** The key (or batch id) names a batch with other items or options. */
        record Mismatch(String batchId) implements Result {
        }

        /** Queueing failed part-way; nothing is lost, the caller resubmits. */
        record Failed(String batchId, String reason) implements Result {
        }
    }

    private final BatchStore store;
    private final JobPublisher urls;
    private final Duration retention;
    private final Clock clock;

    BatchIntake(BatchStore store, JobPublisher urls, Duration retention, Clock clock) {
        this.store = store;
        this.urls = urls;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * @param idempotencyKey the client's {@code Idempotency-Key} header, or null
     * @param storeEpoch     the store's epoch, read before the claim; a generated batch id carries it ({@link BatchIds})
     * @throws tagger.transport.StoreUnavailableException when the store cannot be reached (nothing queued)
     */
    Result submit(BatchSubmission s, String idempotencyKey, String traceparent, String storeEpoch) {
        BatchSubmission.Options o = s.options();
        long now = clock.millis();
        long deadlineAt = o.deadlineAt(now);
        if (o.deadline() != null && deadlineAt < now + BatchParser.MIN_TARGET_SECONDS * 1000) {
            throw RequestException.invalid("deadline must be at least " + BatchParser.MIN_TARGET_SECONDS
                    + " s in the future, got " + o.deadline() + " (now " + java.time.Instant.ofEpochMilli(now) + ")");
        }
        String proposed = o.batchId() != null ? o.batchId() : BatchIds.generate(storeEpoch, now);
        // idempotency keys are stored hashed: bounded key length, and a client's key never shows in Redis
        BatchStore.Claim claim = store.claim(new BatchStore.NewBatch(proposed,
                idempotencyKey == null ? null : Sha256.hex(idempotencyKey), s.fingerprint(), o.topK(), o.minScore(),
                o.callbackUrl(), retention, deadlineAt));
        BatchStore.Batch batch = claim.batch();
        if (!claim.created()) {
            if (!s.fingerprint().equals(batch.fingerprint())) {
                return new Result.Mismatch(batch.id());
            }
            if (batch.state() != BatchState.ACCEPTING) {
                return new Result.Accepted(batch, false);
            }
            if (!store.takeOverIntake(batch.id(), STALE_AFTER)) {
                return new Result.InProgress(batch.id());
            }
        }
        String failure = publishAll(batch.id(), s, traceparent);
        if (failure != null) {
            return new Result.Failed(batch.id(), failure);
        }
        store.accepted(batch.id(), s.items().size());
        return new Result.Accepted(store.batch(batch.id()).orElse(batch), claim.created());
    }

    /** Publishes every item, at most {@link #WINDOW} unconfirmed; returns why it stopped, or null. */
    private String publishAll(String batchId, BatchSubmission s, String traceparent) {
        Semaphore window = new Semaphore(WINDOW);
        AtomicReference<String> failure = new AtomicReference<>();
        long lastAlive = System.nanoTime();
        long now = clock.millis();
        BatchSubmission.Options o = s.options();
        try {
            for (BatchSubmission.Item item : s.items()) {
                while (!window.tryAcquire(ALIVE_EVERY_MS, TimeUnit.MILLISECONDS)) {
                    store.intakeAlive(batchId);
                    lastAlive = System.nanoTime();
                }
                if (failure.get() != null) {
                    break;
                }
                if (System.nanoTime() - lastAlive > TimeUnit.MILLISECONDS.toNanos(ALIVE_EVERY_MS)) {
                    store.intakeAlive(batchId);
                    lastAlive = System.nanoTime();
                }
                JobMeta meta = JobMeta.bulkItem(UUID.randomUUID().toString(), batchId, item.id(), item.url(), now,
                        o.topK(), o.minScore(), !o.cache(), BulkSpans.item(traceparent, batchId, item.id()));
                CompletableFuture<Void> published;
                try {
                    published = urls.publish(new ImageJob(meta, URL_LIST, item.url().getBytes(StandardCharsets.UTF_8)));
                } catch (RuntimeException e) {
                    published = CompletableFuture.failedFuture(e);
                }
                published.whenComplete((ok, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, "item '" + item.id() + "' could not be queued: " + e.getMessage());
                    }
                    window.release();
                });
            }
            // wait for the last confirms (each publish completes within the publisher's confirm timeout)
            while (!window.tryAcquire(WINDOW, ALIVE_EVERY_MS, TimeUnit.MILLISECONDS)) {
                store.intakeAlive(batchId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while queueing the items";
        }
        return failure.get();
    }

}
