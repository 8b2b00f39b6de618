package tagger.api.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ApiPresence;
import tagger.common.Json;
import tagger.common.Threads;
import tagger.transport.PresenceAnnouncer;
import tagger.transport.PresenceBoard;

/**
 * Announces this api-server on the presence board every {@link #INTERVAL} ("presence-heartbeat"
 * thread): what it holds now, and its real-time outcomes over the last {@link #WINDOW_INTERVALS}
 * intervals, read from its own {@code tagger.api.images} and {@code tagger.api.cache.lookups} counters.
 * While the board is unreachable the last announcement is retried every {@link #RETRY_INTERVAL}, so a
 * Redis that comes back lists this server again at once.
 */
final class ApiHeartbeat implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final Duration TTL = INTERVAL.multipliedBy(3);
    static final int WINDOW_INTERVALS = 10;
    static final Duration RETRY_INTERVAL = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(ApiHeartbeat.class);
    private static final String IMAGES = "tagger.api.images";
    private static final String CACHE = "tagger.api.cache.lookups";

    private final PresenceBoard board;
    private final String id;
    private final IntSupplier inFlight;
    private final IntSupplier waiting;
    private final MeterRegistry registry;
    private final Clock clock;
    private final long startedAt;
    private final Deque<Totals> history = new ArrayDeque<>();
    private final ScheduledExecutorService timer;
    private final PresenceAnnouncer announcer;

    /** The outcome counters' totals at one heartbeat. */
    private record Totals(long at, Map<String, Long> byOutcome) {
    }

    ApiHeartbeat(PresenceBoard board, String id, IntSupplier inFlight, IntSupplier waiting, MeterRegistry registry,
            Clock clock) {
        this.board = board;
        this.id = id;
        this.inFlight = inFlight;
        this.waiting = waiting;
        this.registry = registry;
        this.clock = clock;
        this.startedAt = clock.millis();
        this.announcer = new PresenceAnnouncer(board, ApiPresence.KIND, id, TTL);
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.single("presence-heartbeat"));
    }

    void start() {
        timer.scheduleAtFixedRate(this::beat, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::retry, RETRY_INTERVAL.toMillis(), RETRY_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void beat() {
        String json;
        try {
            json = Json.write(presence());
        } catch (RuntimeException e) { // a periodic task that throws is never run again
            log.error("cannot build the announcement of api-server {}", id, e);
            return;
        }
        announcer.announce(json);
    }

    /** Between beats: announces the last announcement again while the board was unreachable. */
    void retry() {
        announcer.retry();
    }

    /** What the next announcement says; also takes this heartbeat's counter sample. */
    ApiPresence presence() {
        long now = clock.millis();
        Map<String, Long> totals = new TreeMap<>();
        sum(IMAGES, totals);
        sum(CACHE, totals);
        history.addLast(new Totals(now, totals));
        while (history.size() > WINDOW_INTERVALS + 1) {
            history.removeFirst();
        }
        Totals first = history.peekFirst();
        Map<String, Long> window = new TreeMap<>();
        Map<String, Long> cache = new TreeMap<>();
        totals.forEach((key, n) -> {
            long delta = n - first.byOutcome().getOrDefault(key, 0L);
            if (delta > 0) {
                String outcome = key.substring(key.indexOf('/') + 1);
                (key.startsWith(CACHE + "/") ? cache : window).put(outcome, delta);
            }
        });
        return new ApiPresence(id, startedAt, now, inFlight.getAsInt(), waiting.getAsInt(), (now - first.at()) / 1000.0,
                window, cache);
    }

    /** Adds each counter of {@code name} to {@code totals} under "name/outcome". */
    private void sum(String name, Map<String, Long> totals) {
        for (Counter c : registry.find(name).counters()) {
            String outcome = c.getId().getTag("outcome");
            if (outcome != null) {
                totals.merge(name + "/" + outcome, (long) c.count(), Long::sum);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
            board.withdraw(ApiPresence.KIND, id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("could not withdraw api-server {}; its entry expires in {} s", id, TTL.toSeconds());
        }
    }
}
