package tagger.loadtest.measure;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tagger.loadtest.schedule.Sink;
import tagger.loadtest.workload.Exchange;

/**
 * Records one level as it runs: every latency into HdrHistogram recorders (wait-free for the many
 * threads that complete requests), every status, error code and {@code Server-Timing} stage into
 * counters. Requests whose intended time falls before {@code measureFromNanos} are the warm-up:
 * counted, never measured.
 */
public final class LevelRecorder implements Sink {
    /** Stage names come from the server; a bound keeps a misbehaving one from growing this map. */
    static final int MAX_STAGES = 32;

    private final long measureFromNanos;
    private final long goodLatencyNanos;
    private final long lateNanos;
    private final TimeSeries series;

    private final Recorder intended = new Recorder(3);
    private final Recorder fromSend = new Recorder(3);
    private final Recorder lag = new Recorder(3);
    private final Map<String, Recorder> stages = new ConcurrentHashMap<>();
    /** Stage names in the order the server first sent them (the pipeline's order), for reports. */
    private final java.util.List<String> stageOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, ScenarioRecorder> scenarios = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> itemErrors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestErrors = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder capped = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder good = new LongAdder();
    private final LongAdder images = new LongAdder();
    private final LongAdder imagesTagged = new LongAdder();
    private final LongAdder goodImages = new LongAdder();
    private final LongAdder warmup = new LongAdder();
    private final LongAdder warmupFailed = new LongAdder();

    private static final class ScenarioRecorder {
        final Recorder latency = new Recorder(3);
        final LongAdder completed = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder images = new LongAdder();
        final LongAdder tagged = new LongAdder();
    }

    /**
     * @param goodLatencyNanos a success counts toward goodput only within this latency (intended time)
     * @param lateNanos        a send later than this after its intended time is late
     */
    public LevelRecorder(long measureFromNanos, long goodLatencyNanos, long lateNanos, TimeSeries series) {
        this.measureFromNanos = measureFromNanos;
        this.goodLatencyNanos = goodLatencyNanos;
        this.lateNanos = lateNanos;
        this.series = series;
    }

    @Override
    public void sent(long intendedNanos, long sentNanos, boolean wasCapped) {
        series.sent();
        if (intendedNanos < measureFromNanos) {
            return;
        }
        sent.increment();
        long lagNanos = Math.max(0, sentNanos - intendedNanos);
        lag.recordValue(micros(lagNanos));
        if (wasCapped) {
            capped.increment();
        } else if (lagNanos > lateNanos) {
            late.increment();
        }
    }

    @Override
    public void completed(long intendedNanos, long sentNanos, long doneNanos, Exchange e) {
        long latency = doneNanos - intendedNanos;
        boolean ok = e.success();
        series.completed(latency, ok);
        if (intendedNanos < measureFromNanos) {
            warmup.increment();
            if (!ok) {
                warmupFailed.increment();
            }
            return;
        }
        intended.recordValue(micros(latency));
        fromSend.recordValue(micros(doneNanos - sentNanos));
        completed.increment();
        count(statuses, e.statusKey());
        e.itemErrors().forEach(code -> count(itemErrors, code));
        if (e.errorCode() != null && e.status() / 100 != 2) {
            count(requestErrors, e.errorCode());
        }
        images.add(e.images());
        imagesTagged.add(e.imagesTagged());
        ScenarioRecorder s = scenarios.computeIfAbsent(e.scenario(), k -> new ScenarioRecorder());
        s.latency.recordValue(micros(latency));
        s.completed.increment();
        s.images.add(e.images());
        s.tagged.add(e.imagesTagged());
        if (ok) {
            succeeded.increment();
            s.succeeded.increment();
            if (latency <= goodLatencyNanos) {
                good.increment();
                goodImages.add(e.images());
            }
            // stages of successful requests only: a failure's partial timings would mix two populations
            e.serverTiming().forEach((stage, ms) -> {
                Recorder r = stages.get(stage);
                if (r == null && stages.size() < MAX_STAGES) {
                    r = stages.computeIfAbsent(stage, k -> {
                        stageOrder.add(k);
                        return new Recorder(3);
                    });
                }
                if (r != null) {
                    r.recordValue(Math.round(ms * 1000));
                }
            });
        }
    }

    /** The level's result; {@code generator} and {@code server} come from the monitors that watched it. */
    public LevelResult finish(LevelInfo info, int unfinished, GeneratorUsage usage, Histogram hiccups,
            Map<String, ServerMetric> server, SelfCheck.Limits limits, int maxInflight, boolean openLoop) {
        Histogram latency = intended.getIntervalHistogram();
        Counts counts = new Counts(sent.sum(), completed.sum(), succeeded.sum(), good.sum(), images.sum(),
                imagesTagged.sum(), goodImages.sum(), unfinished, warmup.sum(), warmupFailed.sum());
        double seconds = info.windowSeconds();
        Map<String, Percentiles> stagePercentiles = new java.util.LinkedHashMap<>();
        stageOrder.forEach(k -> stagePercentiles.put(k, Percentiles.of(stages.get(k).getIntervalHistogram())));
        Map<String, ScenarioStats> scenarioStats = new TreeMap<>();
        scenarios.forEach((k, s) -> {
            long done = s.completed.sum();
            scenarioStats.put(k, new ScenarioStats(done, s.succeeded.sum(), s.images.sum(), s.tagged.sum(),
                    done / seconds, done == 0 ? 0 : 1 - (double) s.succeeded.sum() / done,
                    Percentiles.of(s.latency.getIntervalHistogram())));
        });
        long sentCount = Math.max(1, sent.sum());
        GeneratorStats generator = new GeneratorStats(Percentiles.of(lag.getIntervalHistogram()), late.sum(),
                capped.sum(), (double) late.sum() / sentCount, usage.driverCpu(), usage.generatorCores(),
                usage.originCores(), usage.processCores(), usage.systemLoad(), Percentiles.of(hiccups),
                usage.gcCount(), usage.gcMillis(), usage.cores());
        SelfCheck check = SelfCheck.judge(limits, generator, counts, openLoop, maxInflight);
        return new LevelResult(info, counts, Throughput.of(counts, seconds), Percentiles.of(latency),
                Percentiles.of(fromSend.getIntervalHistogram()), frozen(statuses), frozen(itemErrors),
                frozen(requestErrors), stagePercentiles, scenarioStats, generator, check, server,
                Histograms.encode(latency), null);
    }

    private static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> frozen(Map<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static long micros(long nanos) {
        return Math.max(0, nanos / 1_000);
    }
}
