package tagger.worker.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Groups ready items into batches of at most {@code maxBatch}, waiting at most {@code maxWait} after
 * the oldest item became ready — and only while more items are known to be on their way.
 *
 * <p>Items "on their way" are those announced with {@link #expect()} (accepted and being
 * preprocessed) but not yet {@link #offer}ed. When nothing is on its way the batch runs at once: an
 * idle worker never makes a lone request wait for company that is not coming. Items that became
 * ready while the previous batch ran have already waited, so they don't wait again.
 *
 * <p>One consumer thread calls {@link #next}; any thread may call {@link #expect}, {@link #offer}
 * and {@link #cancelExpected}.
 */
public final class MicroBatcher<T> {
    private final int maxBatch;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private final BlockingQueue<Ready<T>> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger onTheirWay = new AtomicInteger();

    private record Ready<T>(T item, long readyAt) {
    }

    public MicroBatcher(int maxBatch, long maxWaitNanos, LongSupplier nanoClock) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (maxWaitNanos < 0) {
            throw new IllegalArgumentException("maxWait must be >= 0, got " + maxWaitNanos + " ns");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.nanoClock = nanoClock;
    }

    /** Announces an item that will be offered (or cancelled) soon. */
    public void expect() {
        onTheirWay.incrementAndGet();
    }

    /** An announced item will not come (e.g. it failed to decode). */
    public void cancelExpected() {
        onTheirWay.decrementAndGet();
    }

    /** Hands over an announced item that is now ready for inference. */
    public void offer(T item) {
        ready.add(new Ready<>(item, nanoClock.getAsLong()));
        onTheirWay.decrementAndGet();
    }

    /** Items ready but not yet taken. */
    public int readyCount() {
        return ready.size();
    }

    /**
     * Blocks until at least one item is ready (or {@code idleTimeoutMs} passes: then returns an empty
     * list), then returns up to {@code maxBatch} items. Each element carries when it became ready.
     */
    public List<Batched<T>> next(long idleTimeoutMs) throws InterruptedException {
        Ready<T> first = ready.poll(idleTimeoutMs, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Batched<T>> batch = new ArrayList<>(maxBatch);
        batch.add(new Batched<>(first.item, first.readyAt));
        long waitUntil = first.readyAt + maxWaitNanos;
        while (batch.size() < maxBatch) {
            Ready<T> r = ready.poll();
            if (r == null) {
                long left = waitUntil - nanoClock.getAsLong();
                if (left <= 0 || onTheirWay.get() <= 0) {
                    break;
                }
                // wake up in small steps so a cancelled "on its way" item can't hold the batch
                r = ready.poll(Math.min(left, 1_000_000L), TimeUnit.NANOSECONDS);
                if (r == null) {
                    continue;
                }
            }
            batch.add(new Batched<>(r.item, r.readyAt));
        }
        return batch;
    }

    /** An item of a batch and the {@code nanoClock} time it became ready. */
    public record Batched<T>(T item, long readyAt) {
    }
}
