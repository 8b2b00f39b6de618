package tagger.api.fakes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} driven by hand on a {@link MutableClock}: nothing runs until the
 * test calls {@link #runDue()} or {@link #advance}, and then on the test's own thread, in due order.
 * {@code execute} and zero-delay tasks are due "now".
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final MutableClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>(
            Comparator.<Task<?>>comparingLong(t -> t.dueAt).thenComparingLong(t -> t.seq));
    private long seq;
    private boolean shutdown;
    private volatile boolean eager;

    public ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    /**
     * From now on a one-shot task that is already due when scheduled runs at once, before
     * {@code schedule} returns: what a real scheduler thread may do while the caller is still between
     * two statements.
     */
    public void runDueTasksEagerly() {
        eager = true;
    }

    /** Runs every task due by the clock's current time, including those they schedule for now; returns how many ran. */
    public int runDue() {
        int ran = 0;
        Task<?> next;
        while ((next = pollDue(clock.millis())) != null) {
            next.runOnce();
            ran++;
        }
        return ran;
    }

    /** Moves the clock forward by {@code d}, stopping at each task's due time to run it. */
    public void advance(Duration d) {
        long target = clock.millis() + d.toMillis();
        Task<?> next;
        while ((next = pollDue(target)) != null) {
            clock.set(Math.max(clock.millis(), next.dueAt));
            next.runOnce();
        }
        clock.set(target);
    }

    /** Tasks waiting to run (cancelled ones not counted). */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    private synchronized Task<?> pollDue(long until) {
        while (!queue.isEmpty()) {
            Task<?> head = queue.peek();
            if (head.isCancelled()) {
                queue.poll();
                continue;
            }
            return head.dueAt <= until ? queue.poll() : null;
        }
        return null;
    }

    private <V> Task<V> add(Task<V> task) {
        if (eager && task.period == 0 && task.dueAt <= clock.millis()) {
            task.run();
            return task;
        }
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException("scheduler is shut down");
            }
            task.seq = seq++;
            queue.add(task);
            return task;
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command, null), clock.millis() + unit.toMillis(delay), 0, false));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, clock.millis() + unit.toMillis(delay), 0, false));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command, null), clock.millis() + unit.toMillis(initialDelay),
                unit.toMillis(period), true));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command, null), clock.millis() + unit.toMillis(initialDelay),
                unit.toMillis(delay), false));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    /** One scheduled task; periodic ones re-enter the queue after each run. */
    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long period;
        final boolean fixedRate;
        long dueAt;
        long seq;

        Task(Callable<V> callable, long dueAt, long period, boolean fixedRate) {
            super(callable);
            this.dueAt = dueAt;
            this.period = period;
            this.fixedRate = fixedRate;
        }

        void runOnce() {
            if (period == 0) {
                run();
            } else if (runAndReset()) {
                dueAt = fixedRate ? dueAt + period : clock.millis() + period;
                add(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueAt - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }
    }
}
