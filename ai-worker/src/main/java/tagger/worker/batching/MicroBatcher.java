package tagger.worker.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Groups ready items into batches of at most {@code maxBatch}, waiting at most {@code maxWait} after
 * the first item of the batch became ready — and only while more items are known to be on their way.
 *
 * <p>Items "on their way" are those announced with {@link #expect()} (accepted and being
 * preprocessed) but not yet {@link #offer}ed. When nothing is on its way the batch runs at once: an
 * idle worker never makes a lone request wait for company that is not coming. Items that became
 * ready while the previous batch ran have already waited, so they don't wait again.
 *
 * <p>Two lanes: items the {@code urgent} predicate picks (real-time requests) are taken before any
 * other ready item, oldest first; the rest (bulk) fill the batch after them. So a real-time item
 * never waits behind a bulk backlog, at most behind the batch already running, while bulk items
 * still top up its batch — at most {@code maxTopUp} of them, since on a CPU every image added to a
 * batch adds its inference time to the urgent item's. A batch holding an urgent item waits only for
 * urgent items on their way: under a bulk load something is always being decoded, and that must not
 * cost real-time the wait. An urgent item that becomes ready while a batch of other items is
 * gathering joins it only if that batch holds no more than {@code maxTopUp} others; else that batch
 * runs at once with what it has and the urgent item leads the next one.
 *
 * <p>One consumer thread calls {@link #next}; any thread may call {@link #expect}, {@link #offer}
 * and {@link #cancelExpected}.
 */
public final class MicroBatcher<T> {
    private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int maxBatch;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private final Predicate<T> urgent;
    private final int maxTopUp;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Ready<T>> urgentReady = new ArrayDeque<>(); // guarded by lock
    private final ArrayDeque<Ready<T>> otherReady = new ArrayDeque<>(); // guarded by lock
    private final AtomicInteger onTheirWay = new AtomicInteger();
    private final AtomicInteger urgentOnTheirWay = new AtomicInteger();

    private record Ready<T>(T item, long readyAt) {
    }

    /** One lane: every item is taken in arrival order. */
    public MicroBatcher(int maxBatch, long maxWaitNanos, LongSupplier nanoClock) {
        this(maxBatch, maxWaitNanos, nanoClock, item -> false, maxBatch);
    }

    /**
     * @param urgent   which items are taken before all others
     * @param maxTopUp most other items in a batch that holds an urgent one
     */
    public MicroBatcher(int maxBatch, long maxWaitNanos, LongSupplier nanoClock, Predicate<T> urgent, int maxTopUp) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (maxWaitNanos < 0) {
            throw new IllegalArgumentException("maxWait must be >= 0, got " + maxWaitNanos + " ns");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.nanoClock = nanoClock;
        this.urgent = urgent;
        this.maxTopUp = Math.max(0, maxTopUp);
    }

    /** Announces an item that will be offered (or cancelled) soon. */
    public void expect() {
        expect(false);
    }

    /** Announces an item, saying whether the {@code urgent} predicate will pick it. */
    public void expect(boolean urgentItem) {
        onTheirWay.incrementAndGet();
        if (urgentItem) {
            urgentOnTheirWay.incrementAndGet();
        }
    }

    /** An announced item will not come (e.g. it failed to decode). */
    public void cancelExpected() {
        cancelExpected(false);
    }

    /** An announced item, urgent or not, will not come. */
    public void cancelExpected(boolean urgentItem) {
        onTheirWay.decrementAndGet();
        if (urgentItem) {
            urgentOnTheirWay.decrementAndGet();
        }
        signal();
    }

    /** Hands over an announced item that is now ready for inference. */
    public void offer(T item) {
        Ready<T> r = new Ready<>(item, nanoClock.getAsLong());
        boolean isUrgent = urgent.test(item);
        lock.lock();
        try {
            (isUrgent ? urgentReady : otherReady).addLast(r);
            onTheirWay.decrementAndGet();
            if (isUrgent) {
                urgentOnTheirWay.decrementAndGet();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Items ready but not yet taken. */
    public int readyCount() {
        lock.lock();
        try {
            return urgentReady.size() + otherReady.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until at least one item is ready (or {@code idleTimeoutMs} passes: then returns an empty
     * list), then returns up to {@code maxBatch} items, urgent ones first. Each element carries when it
     * became ready.
     */
    public List<Batched<T>> next(long idleTimeoutMs) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long idle = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
            Ready<T> first;
            while ((first = poll()) == null) {
                if (idle <= 0) {
                    return List.of();
                }
                idle = changed.awaitNanos(idle);
            }
            List<Batched<T>> batch = new ArrayList<>(maxBatch);
            batch.add(new Batched<>(first.item, first.readyAt));
            long waitUntil = first.readyAt + maxWaitNanos;
            boolean holdsUrgent = urgent.test(first.item); // urgent items come first: the first one tells
            int others = holdsUrgent ? 0 : 1;
            while (batch.size() < maxBatch) {
                if (!holdsUrgent && others > maxTopUp && !urgentReady.isEmpty()) {
                    break; // an urgent item may not share this batch with so many others: it leads the next one
                }
                Ready<T> r = holdsUrgent && others >= maxTopUp ? urgentReady.pollFirst() : poll();
                if (r == null) {
                    int coming = holdsUrgent ? urgentOnTheirWay.get() : onTheirWay.get();
                    if (coming <= 0) {
                        break; // nobody else is being decoded: never wait for company that is not coming
                    }
                    long left = waitUntil - nanoClock.getAsLong();
                    if (left <= 0) {
                        break;
                    }
                    // wake up in small steps: the clock may be a test's, and "on their way" may drop
                    changed.awaitNanos(Math.min(left, WAKE_NANOS));
                    continue;
                }
                batch.add(new Batched<>(r.item, r.readyAt));
                if (urgent.test(r.item)) {
                    holdsUrgent = true; // from now on it waits only for urgent company, and takes no more others
                } else {
                    others++;
                }
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private Ready<T> poll() {
        Ready<T> r = urgentReady.pollFirst();
        return r != null ? r : otherReady.pollFirst();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** An item of a batch and the {@code nanoClock} time it became ready. */
    public record Batched<T>(T item, long readyAt) {
    }
}
