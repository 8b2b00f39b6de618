package tagger.worker.results;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.Backoff;
import tagger.common.JobMeta;
import tagger.common.TagResult;
import tagger.transport.JobDelivery;
import tagger.transport.ResultStore;
import tagger.transport.StoreUnavailableException;
import tagger.worker.tracing.WorkerSpans;
import tagger.worker.metrics.WorkerMetrics;

/**
 * Stores finished results (with their result cache entries) and only then settles their deliveries, on its own thread ("result-writer")
 * so that inference never waits for Redis. Results queued together are written in one round trip.
 *
 * <p>If the store stays unreachable after {@value #ATTEMPTS} tries (pauses 250, 500 and 750 ms), the
 * deliveries are requeued: the job will be tried again rather than acknowledged without a stored answer.
 */
public final class ResultWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultWriter.class);
    private static final int ATTEMPTS = 4;
    /** Doubling from 250 ms capped at 750 ms: over the three pauses, 250, 500, 750 (1.5 s in all). */
    private static final long BACKOFF_MIN_MS = 250;
    private static final long BACKOFF_MAX_MS = 750;

    /** How a delivery is settled once its result is stored. */
    public enum Settle { ACK, DEAD_LETTER }

    /** A result and the delivery it answers. */
    public record Outcome(JobDelivery delivery, TagResult result, Settle settle) {
    }

    private final ResultStore store;
    private final CacheEntries cache;
    private final WorkerMetrics metrics;
    private final BlockingQueue<List<Outcome>> queue;
    private final Thread thread;
    private volatile boolean running = true;

    /** A writer that fills no result cache. */
    public ResultWriter(ResultStore store, WorkerMetrics metrics, int capacity) {
        this(store, null, metrics, capacity);
    }

    /** @param cache makes the result cache entry stored with each result; null for none */
    public ResultWriter(ResultStore store, CacheEntries cache, WorkerMetrics metrics, int capacity) {
        this.store = store;
        this.cache = cache;
        this.metrics = metrics;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = new Thread(this::loop, "result-writer");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues outcomes for writing; blocks when the writer is that far behind (backpressure). */
    public void submit(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        try {
            queue.put(List.copyOf(outcomes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcomes.forEach(o -> o.delivery().requeue());
        }
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            List<Outcome> batch = new ArrayList<>();
            try {
                List<Outcome> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.addAll(first);
                List<List<Outcome>> more = new ArrayList<>();
                queue.drainTo(more);
                more.forEach(batch::addAll);
                write(batch);
            } catch (InterruptedException e) {
                batch.forEach(o -> o.delivery().requeue());
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("writing {} results failed unexpectedly; requeueing them", batch.size(), e);
                batch.forEach(o -> o.delivery().requeue());
            }
        }
    }

    private void write(List<Outcome> batch) throws InterruptedException {
        List<ResultStore.Completion> completions = new ArrayList<>(batch.size());
        for (Outcome o : batch) {
            JobMeta meta = o.delivery().job().meta();
            completions.add(new ResultStore.Completion(o.result(), meta.replyTo(), meta.batchId(),
                    cache == null ? null : cache.of(meta, o.result())));
        }
        List<Boolean> first;
        long writeStart = WorkerSpans.now();
        Backoff pauses = new Backoff(BACKOFF_MIN_MS, BACKOFF_MAX_MS, Backoff.NO_JITTER);
        for (int attempt = 1; ; attempt++) {
            try {
                first = store.completeEach(completions);
                break;
            } catch (StoreUnavailableException e) {
                if (attempt == ATTEMPTS) {
                    log.warn("result store unavailable after {} attempts ({}); requeueing {} jobs", attempt,
                            e.getMessage(), batch.size());
                    batch.forEach(o -> o.delivery().requeue());
                    return;
                }
                Thread.sleep(pauses.next());
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome o = batch.get(i);
            WorkerSpans.resultWritten(o.delivery().job().meta(), writeStart, first.get(i),
                    o.result().failed() ? o.result().error().code().code() : null);
            if (first.get(i)) {
                metrics.answered(o.delivery().job().meta().trafficClass(), o.result(), o.delivery().previousDeliveries());
            } else {
                metrics.duplicates(1); // an earlier delivery's answer won: not an outcome of its own
            }
            if (o.settle() == Settle.ACK) {
                o.delivery().ack();
            } else {
                o.delivery().deadLetter();
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
