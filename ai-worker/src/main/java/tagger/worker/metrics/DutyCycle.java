package tagger.worker.metrics;

import java.util.function.LongSupplier;

/**
 * The share of wall time spent inside inference, over the last completed window and in total.
 * The inference thread reports each busy span; readers see the ratio of the last full window.
 */
public final class DutyCycle {
    private final LongSupplier nanoClock;
    private final long windowNanos;
    private final long startedAt;
    private long windowStart;
    private long busyInWindow;
    private long busyTotal;
    private volatile double lastWindow;

    public DutyCycle(LongSupplier nanoClock, long windowNanos) {
        this.nanoClock = nanoClock;
        this.windowNanos = windowNanos;
        this.startedAt = nanoClock.getAsLong();
        this.windowStart = startedAt;
    }

    /** Records that inference ran from {@code startNanos} to {@code endNanos}. */
    public synchronized void busy(long startNanos, long endNanos) {
        long span = endNanos - startNanos;
        busyTotal += span;
        busyInWindow += span;
        roll(endNanos);
    }

    /** Busy share of the last complete window, 0 before the first window closes. */
    public synchronized double lastWindow() {
        roll(nanoClock.getAsLong());
        return lastWindow;
    }

    /** Seconds spent in inference since start. */
    public synchronized double busySeconds() {
        return busyTotal / 1e9;
    }

    /** Busy share since {@code sinceNanos} given the busy seconds counted at that time. */
    public synchronized double since(long sinceNanos, double busySecondsThen) {
        long wall = nanoClock.getAsLong() - sinceNanos;
        return wall <= 0 ? 0 : (busyTotal / 1e9 - busySecondsThen) / (wall / 1e9);
    }

    private void roll(long now) {
        long elapsed = now - windowStart;
        if (elapsed >= windowNanos) {
            lastWindow = Math.min(1.0, (double) busyInWindow / elapsed);
            windowStart = now;
            busyInWindow = 0;
        }
    }
}
