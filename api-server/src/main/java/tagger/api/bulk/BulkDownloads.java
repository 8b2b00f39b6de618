package tagger.api.bulk;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.api.cache.ResultCache;
import tagger.api.download.DownloadException;
import tagger.api.download.FetchedImage;
import tagger.api.download.ImageFetcher;
import tagger.common.Threads;
import tagger.imaging.ImageInfo;
import tagger.imaging.ImageRejectedException;
import tagger.common.BatchOutcome;
import tagger.api.tracing.BulkSpans;
import tagger.api.tracing.FlowSpans;
import tagger.common.ErrorCode;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.TrafficClass;
import tagger.transport.BatchState;
import tagger.transport.BatchStore;
import tagger.transport.JobDelivery;
import tagger.transport.JobPublisher;
import tagger.transport.JobSource;

/**
 * The bulk download stage of one api-server: takes bulk items from the URL queue, downloads each
 * (its own pool, a per-host cap, retries with backoff), publishes the image for the workers and
 * only then acknowledges the item; or records the item's outcome — an error, or tags from the result
 * cache — and then acknowledges it.
 * An item not acknowledged when this api-server dies goes back to the queue for another one.
 *
 * <p>Threads: the source's consumer thread only adds deliveries to {@code held}; "bulk-dispatcher"
 * starts downloads when a global slot, a host slot and the {@link BacklogGate} allow; "bulk-settle"
 * does the store round trips (batch checks, recording outcomes); download and publish completions
 * run on the downloader's and publisher's threads. {@code held} holds at most the source's prefetch.
 */
final class BulkDownloads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BulkDownloads.class);
    private static final long IDLE_WAKE_MS = 100;
    /** How long a checked item waits for a closed gate or a slot before its batch is checked again (cancel). */
    static final long RECHECK_MS = 1_000;
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);

    /** The stage's parts, wired by {@link Bulk}. */
    record Parts(JobSource urls, ImageFetcher fetcher, JobPublisher images, BatchStore store, BacklogGate gate,
            ResultCache cache) {
    }

    /** Limits: slots, the topology's delivery limit, the download time limit and the pixel cap. */
    record Limits(int downloads, int perHost, int prefetch, int deliveryLimit, Duration downloadTimeout,
            long maxPixels) {
    }

    /** Where a held item stands; it says what the dispatcher does with the item next. */
    private sealed interface Step permits Unchecked, Checked, Ended {
    }

    /** Its batch must be looked up (again) before any download: on "bulk-settle". */
    private record Unchecked() implements Step {
    }

    private static final Unchecked UNCHECKED = new Unchecked();

    /**
     * Its batch was wanted at {@code at}: it waits for the gate, a global and a host slot, then downloads.
     * Waiting {@link #RECHECK_MS} makes it {@link Unchecked} again (its batch may have been cancelled).
     */
    private record Checked(long at) implements Step {
    }

    /** It ends here without a (further) download: the outcome is recorded, then the item acked, on "bulk-settle". */
    private record Ended(BatchOutcome outcome, Ending ending) implements Step {
    }

    /** How an item ended in this stage, as counted by {@code tagger.bulk.items}. */
    private enum Ending {
        CANCELLED, DELIVERY_LIMIT, FAILED, CACHED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One held bulk item: its step, and when it is due for it. */
    private static final class Held {
        final JobDelivery delivery;
        final JobMeta meta;
        final String host;
        Step step = UNCHECKED;
        int failedDownloads;
        long notBefore;

        Held(JobDelivery delivery) {
            this.delivery = delivery;
            this.meta = delivery.job().meta();
            HttpUrl url = meta.url() == null ? null : HttpUrl.parse(meta.url());
            this.host = url == null ? "" : url.host();
        }
    }

    private final Parts parts;
    private final Limits limits;
    private final RetryPolicy retry;
    private final BulkMetrics metrics;
    private final Clock clock;
    private final BatchLookup lookup;
    private final HostLimits hosts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Held> held = new ArrayList<>(); // guarded by lock; waiting for a step
    private int active; // guarded by lock: downloads running (each holds a global slot)
    private int inHand; // guarded by lock: items taken out of `held` for a step
    private final ExecutorService settle;
    private final Thread dispatcher;
    private volatile boolean closed;

    BulkDownloads(Parts parts, Limits limits, RetryPolicy retry, BulkMetrics metrics, Clock clock) {
        this.parts = parts;
        this.limits = limits;
        this.retry = retry;
        this.metrics = metrics;
        this.clock = clock;
        this.lookup = new BatchLookup(parts.store(), clock::millis, 1_000);
        this.hosts = new HostLimits(limits.perHost());
        // fed only from `held`, so never more than the prefetch: the queue is bounded by that
        this.settle = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Threads.single("bulk-settle"));
        this.dispatcher = Threads.daemon(this::dispatch, "bulk-dispatcher");
        metrics.gauge("tagger.bulk.downloads.active", "bulk downloads running in this api-server", this::active);
        metrics.gauge("tagger.bulk.items.held", "bulk items this api-server holds unacknowledged", this::heldCount);
        metrics.gauge("tagger.bulk.hosts.active", "hosts with a bulk download running", hosts::activeHosts);
        metrics.gauge("tagger.bulk.hosts.busiest", "bulk downloads running against the busiest host", hosts::busiest);
    }

    void start() {
        dispatcher.start();
        parts.urls().start(limits.prefetch(), this::receive, TrafficClass.BULK);
    }

    int active() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    int heldCount() {
        lock.lock();
        try {
            return held.size() + inHand;
        } finally {
            lock.unlock();
        }
    }

    // on the source's thread: only hand over
    private void receive(JobDelivery delivery) {
        Held h = new Held(delivery);
        locked(() -> hold(h, 0));
    }

    private void dispatch() {
        while (!closed) {
            List<Held> toSettle = new ArrayList<>();
            List<Held> toDownload = new ArrayList<>();
            lock.lock();
            try {
                long now = clock.millis();
                long wake = now + IDLE_WAKE_MS;
                boolean open = parts.gate().isOpen();
                for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
                    Held h = it.next();
                    if (h.notBefore > now) {
                        wake = Math.min(wake, h.notBefore);
                        continue;
                    }
                    if (!(h.step instanceof Checked c)) {
                        it.remove();
                        takeToSettle(h, toSettle);
                    } else if (open && active < limits.downloads() && hosts.tryAcquire(h.host)) {
                        it.remove();
                        takeToDownload(h, toDownload);
                    } else if (now - c.at() >= RECHECK_MS) {
                        it.remove();
                        recheck(h, toSettle);
                    } else {
                        wake = Math.min(wake, c.at() + RECHECK_MS);
                    }
                }
                if (toSettle.isEmpty() && toDownload.isEmpty()) {
                    changed.await(Math.max(1, wake - now), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (!toSettle.isEmpty()) {
                settle(toSettle);
            }
            toDownload.forEach(this::download);
        }
    }

    /**
     * Hands store work to "bulk-settle", all due items in one task: their outcomes are recorded in one
     * pipelined round trip, so cancelling a batch of millions drains it at the broker's pace.
     */
    private void settle(List<Held> items) {
        try {
            settle.execute(() -> {
                List<Held> outcomes = new ArrayList<>();
                for (Held h : items) {
                    try {
                        if (h.step instanceof Ended) {
                            outcomes.add(h);
                        } else {
                            check(h, outcomes);
                        }
                    } catch (RuntimeException e) {
                        storeTrouble(h, e);
                    }
                }
                recordAndAck(outcomes);
            });
        } catch (RejectedExecutionException e) {
            items.forEach(h -> release()); // closing: the source gives the items back
        }
    }

    private void storeTrouble(Held h, RuntimeException e) {
        log.warn("bulk item {} of batch {}: store unavailable, trying again in {} ms: {}", h.meta.itemId(),
                h.meta.batchId(), STORE_RETRY.toMillis(), e.getMessage());
        later(h, STORE_RETRY.toMillis());
    }

    /**
     * Before any download: is the batch still wanted, and does the item still need an outcome? Items
     * that end here without a download are added to {@code outcomes}.
     */
    private void check(Held h, List<Held> outcomes) {
        String batchId = h.meta.batchId();
        Optional<BatchStore.Batch> batch = batchId == null ? Optional.empty() : lookup.batch(batchId);
        if (batch.isEmpty()) {
            log.warn("dropping bulk item {}: batch {} does not exist (expired or never created)", h.meta.itemId(),
                    batchId);
            metrics.item("orphaned");
            ack(h);
            return;
        }
        if (batch.get().state() == BatchState.CANCELLED) {
            h.step = error(h, ErrorCode.CANCELLED, "batch " + batchId + " was cancelled; not downloaded",
                    Ending.CANCELLED);
            outcomes.add(h);
            return;
        }
        // a redelivery (its api-server died) or a taken-over intake may repeat an item that is done
        if ((h.delivery.previousDeliveries() > 0 || batch.get().intakes() > 1)
                && !parts.store().finishedItems(batchId, List.of(h.meta.itemId())).isEmpty()) {
            metrics.item("skipped");
            ack(h);
            return;
        }
        // the queue dead-letters an item past its delivery limit; give it its outcome one delivery before
        if (h.delivery.previousDeliveries() >= limits.deliveryLimit() - 1) {
            h.step = error(h, ErrorCode.DELIVERY_LIMIT, "gave up after " + (h.delivery.previousDeliveries() + 1)
                    + " deliveries to the download stage (its api-servers kept failing)", Ending.DELIVERY_LIMIT);
            outcomes.add(h);
            return;
        }
        checked(h);
    }

    private void download(Held h) {
        boolean cancelled;
        try {
            cancelled = lookup.batch(h.meta.batchId()).map(b -> b.state() == BatchState.CANCELLED).orElse(false);
        } catch (RuntimeException e) {
            cancelled = false; // cannot tell: the download is not wasted, its outcome is recorded once anyway
        }
        if (cancelled) {
            cancelledBeforeDownload(h);
            return;
        }
        long deadline = clock.millis() + limits.downloadTimeout().toMillis();
        FlowSpans.download(h.meta.traceparent(), h.meta.url(), h.failedDownloads + 1,
                () -> parts.fetcher().fetch(h.meta.url(), deadline)).whenComplete((image, failure) -> {
            downloadEnded(h);
            if (closed) {
                return; // the source gives the item back when it closes
            }
            if (failure == null) {
                downloaded(h, image);
            } else {
                failed(h, failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
            }
        });
    }

    private void downloaded(Held h, FetchedImage image) {
        metrics.download("ok");
        ImageInfo info;
        try {
            info = ImageInfo.read(image.body()).requireAtMostPixels(limits.maxPixels());
        } catch (ImageRejectedException e) {
            end(h, error(h, e.code(), e.getMessage(), Ending.FAILED));
            return;
        }
        ResultCache.Lookup cached = parts.cache().lookup(image.body(), h.meta.topK(), h.meta.minScore(),
                h.meta.noCache(), TrafficClass.BULK);
        if (cached.hit() != null) {
            // recorded like an error outcome: once per item in the batch store, then acked; never published
            end(h, new Ended(new BatchOutcome(h.meta.itemId(), h.meta.url(), cached.hit().tags(),
                    cached.hit().model(), null), Ending.CACHED));
            return;
        }
        // the item's own metadata (bulk, nobody waiting, no deadline), now with its image's download
        JobMeta meta = h.meta.withDownload(h.meta.url(), image.millis()).withEnqueuedAt(clock.millis())
                .withContentHash(cached.contentHash());
        parts.images().publish(new ImageJob(meta, info.format().mimeType(), image.body())).whenComplete((ok, e) -> {
            if (e == null) {
                metrics.item("published");
                ack(h);
            } else if (!closed) {
                // the broker did not take it: not the item's fault, so no failed download is counted
                log.warn("bulk item {} of batch {}: publishing its image failed, downloading again in {} ms: {}",
                        h.meta.itemId(), h.meta.batchId(), STORE_RETRY.toMillis(), e.getMessage());
                later(h, STORE_RETRY.toMillis());
            }
        });
    }

    private void failed(Held h, Throwable failure) {
        DownloadException e = failure instanceof DownloadException d ? d
                : new DownloadException(ErrorCode.DOWNLOAD_FAILED, "download failed: " + failure, failure);
        metrics.download(e.code().code());
        int attempts = ++h.failedDownloads;
        Optional<Duration> delay = retry.nextDelay(attempts, e, clock.instant(),
                () -> ThreadLocalRandom.current().nextDouble());
        if (delay.isPresent()) {
            metrics.retry(e.code().code());
            BulkSpans.retryWait(h.meta.traceparent(), attempts, e, delay.get());
            later(h, delay.get().toMillis());
            return;
        }
        String message = e.getMessage() + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
        end(h, error(h, e.code(), message, Ending.FAILED));
    }

    private static Ended error(Held h, ErrorCode code, String message, Ending ending) {
        return new Ended(BatchOutcome.error(h.meta.itemId(), h.meta.url(), code, message), ending);
    }

    /** On "bulk-settle": the outcomes first, then the acks — a crash between them only repeats the (deduped) writes. */
    private void recordAndAck(List<Held> items) {
        if (items.isEmpty()) {
            return;
        }
        int written;
        try {
            written = parts.store().record(items.stream()
                    .map(h -> new BatchStore.ItemResult(h.meta.batchId(), ((Ended) h.step).outcome())).toList());
        } catch (RuntimeException e) {
            items.forEach(h -> storeTrouble(h, e));
            return;
        }
        metrics.written(written);
        for (Held h : items) {
            metrics.item(((Ended) h.step).ending().tag());
            ack(h);
        }
    }

    // --- transitions: the only places that move an item between `held`, "in hand" and the slots ---

    /** Dispatcher, lock held: an unchecked or ended item goes to "bulk-settle". */
    private void takeToSettle(Held h, List<Held> toSettle) {
        inHand++;
        toSettle.add(h);
    }

    /** Dispatcher, lock held: a checked item takes a global slot (its host slot is acquired) and downloads. */
    private void takeToDownload(Held h, List<Held> toDownload) {
        inHand++;
        active++;
        toDownload.add(h);
    }

    /** Dispatcher, lock held: an item checked too long ago is checked again (a cancelled batch is recorded). */
    private void recheck(Held h, List<Held> toSettle) {
        h.step = UNCHECKED;
        takeToSettle(h, toSettle);
    }

    /** Its batch is wanted: it waits in {@code held} for a slot. */
    private void checked(Held h) {
        h.step = new Checked(clock.millis());
        locked(() -> {
            inHand--;
            hold(h, 0);
        });
    }

    /** Its batch was cancelled as its download was about to start: slots freed, checked again (and recorded). */
    private void cancelledBeforeDownload(Held h) {
        hosts.release(h.host);
        h.step = UNCHECKED;
        locked(() -> {
            inHand--;
            active--;
            hold(h, 0);
        });
    }

    /** A download finished, either way: its host and global slots are free; the item is still in hand. */
    private void downloadEnded(Held h) {
        hosts.release(h.host);
        locked(() -> active--);
    }

    /** It ends here: back in {@code held} until "bulk-settle" records the outcome. */
    private void end(Held h, Ended ended) {
        h.step = ended;
        locked(() -> {
            inHand--;
            hold(h, 0);
        });
    }

    /** Something outside the item failed (store, broker) or its download is retried: same step, after a delay. */
    private void later(Held h, long delayMs) {
        locked(() -> {
            inHand--;
            hold(h, delayMs);
        });
    }

    /** Done: acknowledged, it leaves this api-server. */
    private void ack(Held h) {
        h.delivery.ack();
        release();
    }

    /** It leaves this api-server's hands unacknowledged (closing: the source gives it back). */
    private void release() {
        locked(() -> inHand--);
    }

    /** Lock held: into {@code held}, due after {@code delayMs}. */
    private void hold(Held h, long delayMs) {
        h.notBefore = clock.millis() + delayMs;
        held.add(h);
    }

    /** Runs a change of the counters or of {@code held} under the lock, and wakes the dispatcher. */
    private void locked(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking items; what is held unacknowledged goes back to the queue when the source closes. */
    @Override
    public void close() {
        parts.urls().stop();
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        settle.shutdown();
        try {
            settle.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        parts.fetcher().close();
        parts.urls().close();
        parts.images().close();
    }
}
