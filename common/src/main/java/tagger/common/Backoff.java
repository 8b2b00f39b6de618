package tagger.common;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The pauses between attempts to reach something that failed: doubling from a shortest to a longest
 * pause, each drawn at random between half and all of its step ("equal jitter", so that many callers
 * that failed together do not knock again in step) or, without jitter, the step itself.
 * One instance is one caller's sequence; {@link #exponential} is the same step computed from a count.
 */
public final class Backoff {
    /** RabbitMQ reconnects: a broker that comes back is reached at most 500 ms plus one connect later. */
    public static final long BROKER_MIN_MS = 100;
    public static final long BROKER_MAX_MS = 500;
    /** For {@link #Backoff(long, long, LongUnaryOperator)}: every pause is its whole step. */
    public static final LongUnaryOperator NO_JITTER = bound -> bound;

    private final long minMs;
    private final long maxMs;
    /** Returns a value in [0, bound], uniformly. */
    private final LongUnaryOperator random;
    private long step;

    /** The broker's reconnect pauses: 100 ms doubling to 500 ms, with equal jitter. */
    public Backoff() {
        this(bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** The broker's reconnect pauses with the given jitter source (a value in [0, bound]). */
    public Backoff(LongUnaryOperator random) {
        this(BROKER_MIN_MS, BROKER_MAX_MS, random);
    }

    public Backoff(long minMs, long maxMs, LongUnaryOperator random) {
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.random = random;
        this.step = minMs;
    }

    /** The next pause in milliseconds; each call doubles the step up to the cap. */
    public long next() {
        long s = step;
        step = Math.min(step * 2, maxMs);
        return s / 2 + random.applyAsLong(s - s / 2);
    }

    /** After a success: the next failure starts again from the shortest pause. */
    public void reset() {
        step = minMs;
    }

    /** The step after the {@code failures}-th failure in a row (1 for the first): base, 2 × base, … up to max. */
    public static Duration exponential(Duration base, int failures, Duration max) {
        Duration d = base.multipliedBy(1L << Math.min(30, Math.max(0, failures - 1)));
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Equal jitter of a step: half of it fixed, half drawn ({@code uniform} in [0, 1)). */
    public static long equalJitter(long stepMs, double uniform) {
        return stepMs / 2 + (long) (uniform * (stepMs - stepMs / 2));
    }
}
