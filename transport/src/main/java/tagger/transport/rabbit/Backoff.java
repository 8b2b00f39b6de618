package tagger.transport.rabbit;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The pauses between attempts to reach RabbitMQ: doubling from {@link #MIN_MS} up to {@link #MAX_MS},
 * each drawn at random between half and all of its step ("equal jitter"), so that many services that
 * lost the broker together do not knock on it in step. The cap is what bounds recovery: a broker that
 * comes back is reached at most {@code MAX_MS} plus one connect later, well within a second.
 */
final class Backoff {
    static final long MIN_MS = 100;
    static final long MAX_MS = 500;

    /** Returns a value in [0, bound], uniformly. */
    private final LongUnaryOperator random;
    private long step = MIN_MS;

    Backoff() {
        this(bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    Backoff(LongUnaryOperator random) {
        this.random = random;
    }

    /** The next pause in milliseconds; each call doubles the step up to the cap. */
    long next() {
        long s = step;
        step = Math.min(step * 2, MAX_MS);
        return s / 2 + random.applyAsLong(s - s / 2);
    }

    /** After a success: the next failure starts again from the shortest pause. */
    void reset() {
        step = MIN_MS;
    }
}
