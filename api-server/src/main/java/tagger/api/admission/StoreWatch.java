package tagger.api.admission;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows whether the result store answers, from a probe every {@code interval} on the given timer, so
 * that admitting a request never waits for Redis.
 *
 * <p>While the store is down every probe also calls {@code whileDown}: requests already waiting for a
 * result can never get one (the worker cannot store it, the subscription is gone), so they are answered
 * 503 at once instead of 504 at their deadline; calling it on every probe catches a request admitted in
 * the instant before the store was declared down.
 */
public final class StoreWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWatch.class);

    private final BooleanSupplier probe;
    private final ScheduledExecutorService timer;
    private final Duration interval;
    private final Runnable whileDown;
    private volatile boolean up = true;

    /**
     * @param probe     true when the store answered (a PING); may block up to the client's timeouts
     * @param timer     runs the probes; owned by the caller
     * @param whileDown called on the timer after every probe that failed
     */
    public StoreWatch(BooleanSupplier probe, ScheduledExecutorService timer, Duration interval, Runnable whileDown) {
        this.probe = probe;
        this.timer = timer;
        this.interval = interval;
        this.whileDown = whileDown;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the last probe reached the store (true before the first one). */
    public boolean isUp() {
        return up;
    }

    /** One probe; on the timer. */
    void check() {
        boolean answered;
        try {
            answered = probe.getAsBoolean();
        } catch (RuntimeException e) {
            answered = false;
        }
        if (answered != up) {
            up = answered;
            if (answered) {
                log.info("result store reachable again: accepting requests");
            } else {
                log.warn("result store unreachable: refusing new requests with 503 and answering waiting ones");
            }
        }
        if (!answered) {
            try {
                whileDown.run();
            } catch (RuntimeException e) {
                log.error("failing the waiting requests after the store went down failed", e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
