package tagger.api.results;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.api.tracing.ResultSpans;
import tagger.common.TagResult;
import tagger.transport.ResultFeed;

/**
 * Holds one future per request this instance waits for and completes it from the result feed.
 *
 * <p>Notifications are at-most-once, so the stored result is read back (a) for every waiting request
 * after each (re)subscription, (b) for requests older than {@code sweepAfter}, on a timer, and (c) once
 * more at the deadline before giving up with {@link DeadlineExceededException}.
 *
 * <p>Threads: the feed calls {@link #onResult} on its subscriber thread; read-backs and deadlines run
 * on {@code scheduler}; futures are completed on {@code completer} so that response writing never
 * runs on the subscriber thread.
 */
public final class ResultWaiter implements ResultFeed.Listener {
    private static final Logger log = LoggerFactory.getLogger(ResultWaiter.class);

    private final ResultFeed feed;
    private final ScheduledExecutorService scheduler;
    private final Executor completer;
    private final Clock clock;
    private final Duration sweepAfter;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Counter notified;
    private final Counter recovered;
    private final Counter expired;
    private final Counter storeDown;

    /** A waiting request; its deadline task is set right after it is registered. */
    private static final class Pending {
        final CompletableFuture<TagResult> future = new CompletableFuture<>();
        final long registeredAt;
        final Span span;
        volatile ScheduledFuture<?> deadlineTask;

        Pending(long registeredAt, Span span) {
            this.registeredAt = registeredAt;
            this.span = span;
        }

        void cancelDeadline() {
            ScheduledFuture<?> task = deadlineTask;
            if (task != null) {
                task.cancel(false);
            }
        }
    }

    public ResultWaiter(ResultFeed feed, ScheduledExecutorService scheduler, Executor completer, Clock clock,
            Duration sweepAfter, MeterRegistry registry) {
        this.feed = feed;
        this.scheduler = scheduler;
        this.completer = completer;
        this.clock = clock;
        this.sweepAfter = sweepAfter;
        this.notified = Counter.builder("tagger.api.results").tag("via", "notification").register(registry);
        this.recovered = Counter.builder("tagger.api.results").tag("via", "read_back").register(registry);
        this.expired = Counter.builder("tagger.api.results").tag("via", "deadline").register(registry);
        this.storeDown = Counter.builder("tagger.api.results").tag("via", "store_down").register(registry);
        registry.gauge("tagger.api.waiting", pending, Map::size);
        long period = Math.max(50, sweepAfter.toMillis() / 2);
        scheduler.scheduleWithFixedDelay(this::sweepOld, period, period, TimeUnit.MILLISECONDS);
    }

    /** Starts listening on this instance's channel. */
    public void start(String instanceId) {
        feed.subscribe(instanceId, this);
    }

    /**
     * Registers a request before its job is published (the result may arrive before the publish
     * confirm does). The future completes with the result, or fails with {@link DeadlineExceededException}.
     */
    public CompletableFuture<TagResult> expect(String requestId, long deadlineEpochMs) {
        return expect(requestId, deadlineEpochMs, Span.getInvalid());
    }

    /** As {@link #expect(String, long)}; how the result came is an event on {@code span}. */
    public CompletableFuture<TagResult> expect(String requestId, long deadlineEpochMs, Span span) {
        long now = clock.millis();
        Pending p = new Pending(now, span);
        // registered first: the deadline task may run before schedule() returns, and must find the request
        pending.put(requestId, p);
        p.deadlineTask = scheduler.schedule(() -> atDeadline(requestId), Math.max(0, deadlineEpochMs - now),
                TimeUnit.MILLISECONDS);
        return p.future;
    }

    /** Stops waiting for a request whose job was never accepted. */
    public void forget(String requestId) {
        Pending p = pending.remove(requestId);
        if (p != null) {
            p.cancelDeadline();
        }
    }

    /**
     * Fails every waiting request with {@code cause}: the store that would deliver their results is
     * unreachable, so waiting until their deadlines would only turn a retryable 503 into a 504.
     */
    public void failAll(RuntimeException cause) {
        for (String id : new ArrayList<>(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.cancelDeadline();
                storeDown.increment();
                completer.execute(() -> p.future.completeExceptionally(cause));
            }
        }
    }

    public int waiting() {
        return pending.size();
    }

    @Override
    public void onResult(TagResult result) {
        if (complete(result, "notification")) {
            notified.increment();
        }
    }

    @Override
    public void onSubscribed() {
        // anything announced while we were not subscribed is only in the store now
        scheduler.execute(() -> readBack(new ArrayList<>(pending.keySet())));
    }

    private boolean complete(TagResult result, String via) {
        Pending p = pending.remove(result.requestId());
        if (p == null) {
            return false; // a duplicate notification, or a request that already timed out
        }
        p.cancelDeadline();
        ResultSpans.received(p.span, via, result.traceparent());
        completer.execute(() -> p.future.complete(result));
        return true;
    }

    private void sweepOld() {
        long cutoff = clock.millis() - sweepAfter.toMillis();
        List<String> old = new ArrayList<>();
        pending.forEach((id, p) -> {
            if (p.registeredAt <= cutoff) {
                old.add(id);
            }
        });
        readBack(old);
    }

    private void readBack(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            for (TagResult r : feed.fetch(ids).values()) {
                if (complete(r, "read_back")) {
                    recovered.increment();
                }
            }
        } catch (RuntimeException e) {
            log.warn("reading back {} stored results failed: {}", ids.size(), e.toString());
        }
    }

    private void atDeadline(String requestId) {
        if (!pending.containsKey(requestId)) {
            return;
        }
        readBack(List.of(requestId));
        Pending p = pending.remove(requestId);
        if (p != null) {
            expired.increment();
            long waited = clock.millis() - p.registeredAt;
            completer.execute(() -> p.future.completeExceptionally(new DeadlineExceededException(
                    "no result within the request deadline (waited " + waited + " ms after publishing)")));
        }
    }
}
