package tagger.worker.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>One lock guards both the ready items and the count on their way, so the consumer never sees
 * an item that is ready yet still counted as coming (it used to wait 1 ms polls for an item it
 * already held) nor one no longer counted yet not ready (a batch would close without it); offers
 * and cancellations wake a waiting consumer at once.
 *
 * <p>One consumer thread calls {@link #next}; any thread may call {@link #expect}, {@link #offer}
 * and {@link #cancelExpected}.
 */
public final class MicroBatcher<T> {
    private final int maxBatch;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Bounded in practice by the callers: every item holds one of their pooled tensors. */
    private final ArrayDeque<Batched<T>> ready = new ArrayDeque<>();
    private int onTheirWay;

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
        lock.lock();
        try {
            onTheirWay++;
        } finally {
            lock.unlock();
        }
    }

    /** An announced item will not come (e.g. it failed to decode). */
    public void cancelExpected() {
        lock.lock();
        try {
            onTheirWay--;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Hands over an announced item that is now ready for inference. */
    public void offer(T item) {
        Batched<T> b = new Batched<>(item, nanoClock.getAsLong());
        lock.lock();
        try {
            ready.add(b);
            onTheirWay--;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Items ready but not yet taken. */
    public int readyCount() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until at least one item is ready (or {@code idleTimeoutMs} passes: then returns an empty
     * list), then returns up to {@code maxBatch} items. Each element carries when it became ready.
     */
    public List<Batched<T>> next(long idleTimeoutMs) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long idleLeft = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
            while (ready.isEmpty()) {
                if (idleLeft <= 0) {
                    return List.of();
                }
                idleLeft = changed.awaitNanos(idleLeft);
            }
            List<Batched<T>> batch = new ArrayList<>(maxBatch);
            Batched<T> first = ready.poll();
            batch.add(first);
            long waitUntil = first.readyAt() + maxWaitNanos;
            while (batch.size() < maxBatch) {
                Batched<T> r = ready.poll();
                if (r != null) {
                    batch.add(r);
                    continue;
                }
                if (onTheirWay <= 0) {
                    break;
                }
                long left = waitUntil - nanoClock.getAsLong();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left); // an offer or a cancellation wakes us; the loop re-checks either way
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** An item of a batch and the {@code nanoClock} time it became ready. */
    public record Batched<T>(T item, long readyAt) {
    }
}
