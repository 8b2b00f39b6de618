package tagger.loadtest.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The whole run second by second (warm-ups included, marked): sends, answers, errors and latency
 * percentiles of the answers that arrived in each second. Fed by the recorders, cut by the monitor's
 * once-a-second {@link #tick}.
 */
public final class TimeSeries {
    /** A day of one-second points; beyond that the oldest are dropped rather than growing without bound. */
    static final int MAX_POINTS = 86_400;

    private final long startNanos;
    private final Recorder latency = new Recorder(3);
    private final LongAdder sent = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final List<Point> points = new ArrayList<>();
    private volatile int level = -1;
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;
    private long lastTick;

    /** One second (or less, for the last point) of the run. */
    public record Point(double t, int level, String phase, double sentPerSec, double completedPerSec,
            double errorsPerSec, double p50, double p99, double max) {
    }

    public TimeSeries(long startNanos) {
        this.startNanos = startNanos;
        this.lastTick = startNanos;
    }

    /** Starts the first interval now (setup before it is not part of any point). */
    synchronized void begin(long nowNanos) {
        lastTick = nowNanos;
    }

    /** The following points belong to this level: warm-up until {@code measureFrom}, then measured, then drain. */
    public void level(int levelIndex, long measureFromNanos, long measureToNanos) {
        this.measureFrom = measureFromNanos;
        this.measureTo = measureToNanos;
        this.level = levelIndex;
    }

    void sent() {
        sent.increment();
    }

    void completed(long latencyNanos, boolean success) {
        latency.recordValue(Math.max(0, latencyNanos / 1_000));
        completed.increment();
        if (!success) {
            errors.increment();
        }
    }

    /** Closes the interval ending now. */
    public synchronized void tick(long nowNanos) {
        double seconds = (nowNanos - lastTick) / 1e9;
        if (seconds <= 0) {
            return;
        }
        Histogram h = latency.getIntervalHistogram();
        boolean empty = h.getTotalCount() == 0;
        String phase = level < 0 ? "setup" : nowNanos <= measureFrom ? "warmup" : nowNanos <= measureTo + 1_000_000_000L
                ? "measure" : "drain";
        points.add(new Point(round((nowNanos - startNanos) / 1e9), level, phase, round(sent.sumThenReset() / seconds),
                round(completed.sumThenReset() / seconds), round(errors.sumThenReset() / seconds),
                empty ? 0 : h.getValueAtPercentile(50) / 1000.0, empty ? 0 : h.getValueAtPercentile(99) / 1000.0,
                empty ? 0 : h.getMaxValue() / 1000.0));
        if (points.size() > MAX_POINTS) {
            points.remove(0);
        }
        lastTick = nowNanos;
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
