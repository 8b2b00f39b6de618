package tagger.loadtest.sweep;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import tagger.loadtest.measure.BulkBackground;
import tagger.loadtest.measure.GeneratorUsage;
import tagger.loadtest.measure.LevelInfo;
import tagger.loadtest.measure.LevelRecorder;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.SelfCheck;
import tagger.loadtest.measure.TimeSeries;
import tagger.loadtest.schedule.LoadDriver;
import tagger.loadtest.schedule.Pacer;
import tagger.loadtest.workload.BulkWorkload;

/**
 * The mixed scenario's bulk side: {@code batches} bulk batches kept running (closed loop, on the
 * thread "loadtest-bulk") for the whole of each level while the level's real-time schedule runs, and
 * measured by a recorder of their own. What is still running when the level ends is cancelled, so
 * every level starts from the same state.
 */
final class BackgroundBulk {
    /** After the level's last send, running batches get this long to finish before they are cancelled. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final BulkWorkload workload;
    private final int batches;
    private final int batchSize;
    private final SelfCheck.Limits limits;
    private long nextIndex;

    /** @param firstIndex the first operation index, above those the validation used (keys must not repeat) */
    BackgroundBulk(BulkWorkload workload, int batches, int batchSize, SelfCheck.Limits limits, long firstIndex) {
        this.workload = workload;
        this.nextIndex = firstIndex;
        this.batches = batches;
        this.batchSize = batchSize;
        this.limits = limits;
    }

    /** One level's worth of background batches, started at once. */
    final class Level {
        private final LevelRecorder recorder;
        private final LongAdder itemsInWindow = new LongAdder();
        private final AtomicReference<LoadDriver.Driven> driven = new AtomicReference<>();
        private final Thread thread;
        private final long measureFrom;
        private final long measureTo;

        private Level(long startNanos, long measureFrom, long measureTo) {
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            // latency of a batch is its completion time; no batch is "good" or "late" in the real-time sense
            this.recorder = new LevelRecorder(measureFrom, Long.MAX_VALUE / 4, limits.lateThreshold().toNanos(),
                    new TimeSeries(startNanos));
            workload.onItemsFinished((nanos, items) -> {
                if (nanos >= measureFrom && nanos <= measureTo) {
                    itemsInWindow.add(items);
                }
            });
            Duration total = Duration.ofNanos(measureTo - startNanos);
            this.thread = new Thread(() -> {
                try {
                    driven.set(new LoadDriver(Pacer.system(), batches).closed(batches, total, workload, recorder,
                            startNanos, nextIndex, GRACE));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "loadtest-bulk");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits for the batches' loop to end, cancels what still runs and returns the numbers. */
        BulkBackground finish() throws InterruptedException {
            thread.join();
            LoadDriver.Driven d = driven.get();
            nextIndex += d == null ? 0 : d.sent();
            double seconds = (measureTo - measureFrom) / 1e9;
            // snapshot before cancelling: cancelled batches are counted apart, not as failed ones
            LevelResult r = recorder.finish(new LevelInfo(0, "bulk", "closed " + batches + " batches", null, null, batches,
                    seconds), 0, GeneratorUsage.NONE, new Histogram(3), Map.of(), limits, batches, false);
            int cancelled = workload.cancelRunning();
            long until = System.nanoTime() + GRACE.toNanos();
            while (workload.running() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            long items = itemsInWindow.sum();
            return new BulkBackground(batches, batchSize, items, Math.round(items / seconds * 10) / 10.0,
                    r.counts().completed(), r.counts().succeeded(), r.latency(), r.statuses(), r.itemErrors(), cancelled);
        }
    }

    /** Starts this level's batches; their loop ends at {@code measureTo}. */
    Level start(long startNanos, long measureFrom, long measureTo) {
        return new Level(startNanos, measureFrom, measureTo);
    }
}
