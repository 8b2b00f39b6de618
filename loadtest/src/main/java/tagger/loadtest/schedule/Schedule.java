package tagger.loadtest.schedule;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The intended send times of one open-loop level, generated in advance from a seed (as MLPerf's
 * LoadGen does) so that a run can be repeated exactly and latency can be measured from the time a
 * request <em>should</em> have been sent.
 */
public final class Schedule {
    /** Beyond this the offsets alone take 160 MB; split the run into levels instead. */
    static final int MAX_REQUESTS = 20_000_000;

    private final long[] offsetsNanos;
    private final long durationNanos;

    private Schedule(long[] offsetsNanos, long durationNanos) {
        this.offsetsNanos = offsetsNanos;
        this.durationNanos = durationNanos;
    }

    /**
     * Intended send offsets (nanoseconds from the level start, ascending) over {@code duration}.
     * Unit-rate arrivals (every 1, or exponential gaps with mean 1) are mapped through the rate
     * shape's inverse cumulative rate.
     */
    public static Schedule of(RateShape shape, Arrivals arrivals, Duration duration, long seed) {
        double seconds = duration.toNanos() / 1e9;
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("a level must last longer than 0 s, got " + duration);
        }
        double expected = shape.expectedCount(seconds);
        if (expected > MAX_REQUESTS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "schedule would hold %.0f requests (%s for %.0f s), limit %d", expected, shape, seconds,
                    MAX_REQUESTS));
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] out = new long[(int) Math.min(MAX_REQUESTS, Math.max(16, expected * 1.2 + 64))];
        int n = 0;
        double unit = arrivals == Arrivals.POISSON ? exponential(random) : 0;
        while (unit < expected) {
            double t = shape.timeOf(unit, seconds);
            if (t >= seconds) {
                break;
            }
            if (n == out.length) {
                if (n == MAX_REQUESTS) {
                    throw new IllegalArgumentException("schedule exceeds " + MAX_REQUESTS + " requests");
                }
                out = Arrays.copyOf(out, (int) Math.min(MAX_REQUESTS, (long) n * 2));
            }
            out[n++] = (long) (t * 1e9);
            unit += arrivals == Arrivals.POISSON ? exponential(random) : 1;
        }
        return new Schedule(Arrays.copyOf(out, n), duration.toNanos());
    }

    private static double exponential(SplittableRandom random) {
        // 1 - u is in (0, 1], so the log is finite
        return -Math.log(1 - random.nextDouble());
    }

    public int size() {
        return offsetsNanos.length;
    }

    /** Intended send time of request {@code i}, in nanoseconds from the level start. */
    public long offset(int i) {
        return offsetsNanos[i];
    }

    public long durationNanos() {
        return durationNanos;
    }

    /** Requests per second over the whole level. */
    public double meanRate() {
        return offsetsNanos.length / (durationNanos / 1e9);
    }

    /** Requests due in [fromNanos, toNanos). */
    public int countBetween(long fromNanos, long toNanos) {
        return lowerBound(toNanos) - lowerBound(fromNanos);
    }

    private int lowerBound(long t) {
        int i = Arrays.binarySearch(offsetsNanos, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && offsetsNanos[i - 1] == t) {
            i--;
        }
        return i;
    }
}
