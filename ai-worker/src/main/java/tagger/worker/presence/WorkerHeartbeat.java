package tagger.worker.presence;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Threads;
import tagger.common.WorkerPresence;
import tagger.transport.PresenceAnnouncer;
import tagger.transport.PresenceBoard;
import tagger.worker.metrics.RecentActivity;
import tagger.worker.metrics.WorkerMetrics;

/**
 * Announces this worker on the presence board every {@link #INTERVAL} ("presence-heartbeat" thread):
 * model, device, and what it did over the last {@link #WINDOW_INTERVALS} intervals. The entry
 * expires after {@link #TTL} unless refreshed, so a killed worker drops off by itself; a graceful
 * stop withdraws it at once. While the board is unreachable the last announcement is retried every
 * {@link #RETRY_INTERVAL}, so a Redis that comes back (possibly empty) lists the worker again at once
 * rather than at the next beat.
 */
public final class WorkerHeartbeat implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(2);
    public static final Duration TTL = INTERVAL.multipliedBy(3);
    /** Intervals the announced window covers (20 s): long enough to smooth bursts, short enough to follow load. */
    public static final int WINDOW_INTERVALS = 10;
    public static final Duration RETRY_INTERVAL = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(WorkerHeartbeat.class);

    /**
     * The facts about the worker that never change while it runs.
     *
     * @param jpegDecoder {@code turbojpeg} or {@code imageio}
     * @param pixels      fingerprint of the edge payloads its model takes, e.g. {@code 224x224-crop256}
     */
    public record Identity(String id, ModelRef model, String device, int maxBatch, int preprocessThreads,
            long startedAt, String jpegDecoder, String pixels) {

        /** A worker that does not say how it decodes. */
        public Identity(String id, ModelRef model, String device, int maxBatch, int preprocessThreads, long startedAt) {
            this(id, model, device, maxBatch, preprocessThreads, startedAt, null, null);
        }
    }

    private final PresenceBoard board;
    private final Identity identity;
    private final WorkerMetrics metrics;
    private final IntSupplier inFlight;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final PresenceAnnouncer announcer;

    public WorkerHeartbeat(PresenceBoard board, Identity identity, WorkerMetrics metrics, IntSupplier inFlight,
            Clock clock) {
        this.board = board;
        this.identity = identity;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.clock = clock;
        this.announcer = new PresenceAnnouncer(board, WorkerPresence.KIND, identity.id(), TTL);
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.single("presence-heartbeat"));
    }

    public void start() {
        timer.scheduleAtFixedRate(this::beat, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::retry, RETRY_INTERVAL.toMillis(), RETRY_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Closes the current interval and announces; a board that is down is logged once, not thrown. */
    void beat() {
        metrics.recent().roll();
        String json;
        try {
            json = Json.write(presence());
        } catch (RuntimeException e) {
            log.error("cannot build the announcement of worker {}", identity.id(), e);
            return;
        }
        announcer.announce(json);
    }

    /** Between beats: announces the last announcement again while the board was unreachable. */
    void retry() {
        announcer.retry();
    }

    /** What the next announcement says. */
    WorkerPresence presence() {
        RecentActivity.Window w = metrics.recent().window();
        double inferenceShare = w.seconds() <= 0 ? 0 : w.inferenceSeconds() / w.seconds();
        double decodeShare = w.seconds() <= 0 ? 0 : w.preprocessSeconds() / (identity.preprocessThreads() * w.seconds());
        Map<String, WorkerPresence.ClassActivity> classes = new LinkedHashMap<>();
        w.classes().forEach((cls, c) -> {
            Map<String, Long> errors = new TreeMap<>();
            c.errors().forEach((code, n) -> errors.put(code.code(), n));
            classes.put(cls.key(), new WorkerPresence.ClassActivity(c.answered(), errors, encode(c.latencyMs())));
        });
        double batchP50 = w.batchSizes().getTotalCount() == 0 ? 0 : w.batchSizes().getValueAtPercentile(50);
        return new WorkerPresence(identity.id(), identity.model(), identity.device(), identity.maxBatch(),
                identity.startedAt(), clock.millis(), round(w.seconds()), round(w.imagesPerSecond()),
                round(Math.min(1, Math.max(inferenceShare, decodeShare))), round(metrics.dutyCycle().lastWindow()),
                batchP50, inFlight.getAsInt(), classes, identity.jpegDecoder(), identity.pixels());
    }

    /** Base64 of the compressed histogram: a few hundred bytes, mergeable by readers. */
    static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Stops announcing and withdraws the entry, so operators see the worker leave at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
            board.withdraw(WorkerPresence.KIND, identity.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("could not withdraw worker {}; its entry expires in {} s", identity.id(), TTL.toSeconds());
        }
    }
}
