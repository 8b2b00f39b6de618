package tagger.loadtest.sweep;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tagger.loadtest.measure.GeneratorMonitor;
import tagger.loadtest.measure.GeneratorUsage;
import tagger.loadtest.measure.LevelInfo;
import tagger.loadtest.measure.LevelRecorder;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.MetricsScraper;
import tagger.loadtest.measure.SelfCheck;
import tagger.loadtest.measure.ServerMetric;
import tagger.loadtest.measure.TimeSeries;
import tagger.loadtest.schedule.LoadDriver;
import tagger.loadtest.schedule.LoadModel;
import tagger.loadtest.schedule.Pacer;
import tagger.loadtest.schedule.Schedule;
import tagger.loadtest.workload.Workload;

/**
 * Runs one level from start to result: schedule, warm-up, measured window, drain, then the
 * recorder's result joined with what the monitors saw during the window.
 */
final class LevelRunner {
    /** The first send is scheduled this far ahead, so that setting up never makes it late. */
    private static final long LEAD_NANOS = 100_000_000;

    private final Workload workload;
    private final LoadDriver driver;
    private final GeneratorMonitor monitor;
    private final MetricsScraper scraper;
    private final TimeSeries series;
    private final Settings settings;
    private final BackgroundBulk background;
    private long nextIndex;

    /**
     * The knobs every level shares.
     *
     * @param goodLatency a success counts toward goodput within this latency
     * @param drain       how long to wait for the last answers after the last send
     */
    record Settings(Duration goodLatency, Duration drain, int maxInflight, SelfCheck.Limits limits) {
    }

    /** @param background bulk batches to keep running beside every level, or null */
    LevelRunner(Workload workload, GeneratorMonitor monitor, MetricsScraper scraper, TimeSeries series,
            Settings settings, long firstIndex, BackgroundBulk background) {
        this.background = background;
        this.workload = workload;
        this.driver = new LoadDriver(Pacer.system(), settings.maxInflight());
        this.monitor = monitor;
        this.scraper = scraper;
        this.series = series;
        this.settings = settings;
        this.nextIndex = firstIndex;
    }

    LevelResult run(LevelSpec spec) throws InterruptedException {
        long start = System.nanoTime() + LEAD_NANOS;
        long measureFrom = start + spec.warmup().toNanos();
        long measureTo = measureFrom + spec.duration().toNanos();
        LevelRecorder recorder = new LevelRecorder(measureFrom, settings.goodLatency().toNanos(),
                settings.limits().lateThreshold().toNanos(), series);
        series.level(spec.index(), measureFrom, measureTo);
        var window = monitor.window(measureFrom, measureTo);
        Duration total = spec.warmup().plus(spec.duration());
        BackgroundBulk.Level bulk = background == null ? null : background.start(start, measureFrom, measureTo);
        LoadDriver.Driven driven;
        Double offered = null;
        Double target = null;
        Integer concurrency = null;
        if (spec.model() instanceof LoadModel.Open open) {
            Schedule schedule = Schedule.of(open.shape(), open.arrivals(), total, spec.seed());
            target = open.shape().mean();
            long warm = spec.warmup().toNanos();
            offered = schedule.countBetween(warm, warm + spec.duration().toNanos()) / (spec.duration().toNanos() / 1e9);
            driven = driver.open(schedule, workload, recorder, start, nextIndex, settings.drain());
        } else {
            LoadModel.Closed closed = (LoadModel.Closed) spec.model();
            concurrency = closed.concurrency();
            driven = driver.closed(closed.concurrency(), total, workload, recorder, start, nextIndex, settings.drain());
        }
        nextIndex += driven.sent();
        GeneratorMonitor.Window seen = await(window);
        Map<String, ServerMetric> server = scraper.summarize(measureFrom, measureTo);
        LevelInfo info = new LevelInfo(spec.index(), spec.label(), spec.model().describe(), target, offered, concurrency,
                spec.duration().toNanos() / 1e9);
        LevelResult result = recorder.finish(info, driven.unfinished(), seen.usage(), seen.hiccups(), server,
                settings.limits(), settings.maxInflight(), spec.model() instanceof LoadModel.Open);
        return bulk == null ? result : result.withBulkBackground(bulk.finish());
    }

    private static GeneratorMonitor.Window await(java.util.concurrent.CompletableFuture<GeneratorMonitor.Window> w)
            throws InterruptedException {
        try {
            return w.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new GeneratorMonitor.Window(GeneratorUsage.NONE, new org.HdrHistogram.Histogram(3));
        }
    }

    long nextIndex() {
        return nextIndex;
    }
}
