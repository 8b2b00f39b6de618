package tagger.worker.metrics;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tagger.common.ErrorCode;
import tagger.common.TrafficClass;

/**
 * What the worker did over its last few heartbeats: answers, errors and latency per traffic class,
 * batch sizes, and how long the inference thread and the decode pool were busy.
 *
 * <p>Threads: the record methods are called on the hot path by the result writer, the inference
 * thread and the preprocess threads (lock-free: adders and HdrHistogram recorders). {@link #roll}
 * and {@link #window} are called by one thread, the heartbeat.
 */
public final class RecentActivity {
    /** Longest latency recorded exactly (ms); longer ones are recorded as this. */
    static final long MAX_LATENCY_MS = 3_600_000;
    static final long MAX_BATCH = 4_096;

    private final int keep;
    private final LongSupplier nanoClock;
    private final Map<TrafficClass, Recorder> latency = new EnumMap<>(TrafficClass.class);
    private final Map<TrafficClass, LongAdder> answered = new EnumMap<>(TrafficClass.class);
    private final Map<TrafficClass, Map<ErrorCode, LongAdder>> errors = new EnumMap<>(TrafficClass.class);
    private final Recorder batchSizes = new Recorder(MAX_BATCH, 2);
    private final LongAdder inferenceNanos = new LongAdder();
    private final LongAdder preprocessNanos = new LongAdder();
    private final Deque<Interval> intervals = new ArrayDeque<>();
    private long intervalStart;

    /** One closed interval: what happened between two rolls. */
    private record Interval(long startNanos, long endNanos, Map<TrafficClass, ClassWindow> classes, Histogram batches,
            long inferenceNanos, long preprocessNanos) {
    }

    /**
     * One traffic class over the window.
     *
     * @param latencyMs api-server receipt to result stored, of the successful answers
     */
    public record ClassWindow(long answered, Map<ErrorCode, Long> errors, Histogram latencyMs) {
    }

    /**
     * Everything over the window.
     *
     * @param seconds           wall time the window covers (0 before the first roll)
     * @param inferenceSeconds  time the inference thread spent running batches
     * @param preprocessSeconds time decode threads spent decoding and resizing, summed over threads
     */
    public record Window(double seconds, Map<TrafficClass, ClassWindow> classes, Histogram batchSizes,
            double inferenceSeconds, double preprocessSeconds) {

        /** Answers per second, all classes. */
        public double imagesPerSecond() {
            long n = classes.values().stream().mapToLong(ClassWindow::answered).sum();
            return seconds <= 0 ? 0 : n / seconds;
        }
    }

    /**
     * @param keep      closed intervals the window sums (window length = keep × roll interval)
     * @param nanoClock monotonic clock, passed in so tests control time
     */
    public RecentActivity(int keep, LongSupplier nanoClock) {
        if (keep < 1) {
            throw new IllegalArgumentException("must keep at least 1 interval, got " + keep);
        }
        this.keep = keep;
        this.nanoClock = nanoClock;
        this.intervalStart = nanoClock.getAsLong();
        for (TrafficClass c : TrafficClass.values()) {
            latency.put(c, new Recorder(MAX_LATENCY_MS, 2));
            answered.put(c, new LongAdder());
            Map<ErrorCode, LongAdder> byCode = new EnumMap<>(ErrorCode.class);
            for (ErrorCode code : ErrorCode.values()) {
                byCode.put(code, new LongAdder());
            }
            errors.put(c, byCode);
        }
    }

    /** A stored answer; {@code totalMs} counts only for successful ones (negative = unknown). */
    public void answered(TrafficClass cls, ErrorCode errorOrNull, double totalMs) {
        answered.get(cls).increment();
        if (errorOrNull != null) {
            errors.get(cls).get(errorOrNull).increment();
        } else if (totalMs >= 0) {
            latency.get(cls).recordValue(Math.max(1, Math.min(MAX_LATENCY_MS, Math.round(totalMs))));
        }
    }

    /** One inference call of {@code size} images that took {@code ms}. */
    public void batch(int size, double ms) {
        batchSizes.recordValue(Math.max(1, Math.min(MAX_BATCH, size)));
        inferenceNanos.add((long) (ms * 1e6));
    }

    /** One image decoded and resized in {@code ms} on a preprocess thread. */
    public void preprocessed(double ms) {
        preprocessNanos.add((long) (ms * 1e6));
    }

    /** Closes the current interval; the oldest falls out of the window once more than {@code keep} are closed. */
    public void roll() {
        long now = nanoClock.getAsLong();
        Map<TrafficClass, ClassWindow> classes = new EnumMap<>(TrafficClass.class);
        for (TrafficClass c : TrafficClass.values()) {
            Map<ErrorCode, Long> byCode = new EnumMap<>(ErrorCode.class);
            errors.get(c).forEach((code, adder) -> {
                long n = adder.sumThenReset();
                if (n > 0) {
                    byCode.put(code, n);
                }
            });
            classes.put(c, new ClassWindow(answered.get(c).sumThenReset(), byCode,
                    latency.get(c).getIntervalHistogram()));
        }
        intervals.addLast(new Interval(intervalStart, now, classes, batchSizes.getIntervalHistogram(),
                inferenceNanos.sumThenReset(), preprocessNanos.sumThenReset()));
        while (intervals.size() > keep) {
            intervals.removeFirst();
        }
        intervalStart = now;
    }

    /** The sum of the closed intervals kept. */
    public Window window() {
        Map<TrafficClass, ClassWindow> classes = new EnumMap<>(TrafficClass.class);
        for (TrafficClass c : TrafficClass.values()) {
            classes.put(c, new ClassWindow(0, new EnumMap<>(ErrorCode.class), new Histogram(MAX_LATENCY_MS, 2)));
        }
        Histogram batches = new Histogram(MAX_BATCH, 2);
        long inference = 0;
        long preprocess = 0;
        for (Interval i : intervals) {
            for (TrafficClass c : TrafficClass.values()) {
                ClassWindow sum = classes.get(c);
                ClassWindow add = i.classes.get(c);
                add.errors().forEach((code, n) -> sum.errors().merge(code, n, Long::sum));
                sum.latencyMs().add(add.latencyMs());
                classes.put(c, new ClassWindow(sum.answered() + add.answered(), sum.errors(), sum.latencyMs()));
            }
            batches.add(i.batches);
            inference += i.inferenceNanos;
            preprocess += i.preprocessNanos;
        }
        double seconds = intervals.isEmpty() ? 0 : (intervals.getLast().endNanos - intervals.getFirst().startNanos) / 1e9;
        return new Window(seconds, classes, batches, inference / 1e9, preprocess / 1e9);
    }
}
