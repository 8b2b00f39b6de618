package tagger.loadtest.sweep;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import tagger.loadtest.measure.GeneratorMonitor;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.MetricsScraper;
import tagger.loadtest.measure.TimeSeries;
import tagger.loadtest.origin.OriginServer;
import tagger.loadtest.origin.OriginUrls;
import tagger.loadtest.origin.PhotoCorpus;
import tagger.loadtest.schedule.LoadModel;
import tagger.loadtest.schedule.RateShape;
import tagger.loadtest.slo.SloResult;
import tagger.loadtest.workload.BulkWorkload;
import tagger.loadtest.workload.HttpTarget;
import tagger.loadtest.workload.RealtimeWorkload;
import tagger.loadtest.workload.ScenarioMix;
import tagger.loadtest.workload.Validation;
import tagger.loadtest.workload.Workload;

/**
 * One load test from start to verdict: start the origin, build the workloads, validate, run the
 * levels (or search for the knee), judge each level, and hand back a {@link RunResult}. The whole
 * run happens on one thread named "loadtest-driver", whose CPU the self-check watches.
 */
public final class Run {
    private final RunSpec spec;
    private final Progress progress;

    /** Where a run says what it is doing (the console, or nothing in tests). */
    public interface Progress {
        void note(String line);

        void level(LevelOutcome level);
    }

    public Run(RunSpec spec, Progress progress) {
        this.spec = spec;
        this.progress = progress;
    }

    /** Runs everything and returns the result; throws only for setup failures (bad origin, interrupted). */
    public RunResult execute() throws InterruptedException {
        AtomicReference<RunResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread driver = new Thread(() -> {
            try {
                result.set(runHere());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "loadtest-driver");
        driver.start();
        try {
            driver.join();
        } catch (InterruptedException e) {
            driver.interrupt();
            driver.join(5_000);
            throw e;
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof InterruptedException e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("load test failed: " + failure.get(), failure.get());
        }
        return result.get();
    }

    private RunResult runHere() throws InterruptedException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String runId = "r" + UUID.randomUUID().toString().substring(0, 6);
        PhotoCorpus corpus = new PhotoCorpus(spec.origin().variants(), spec.seed());
        boolean needsOrigin = spec.target() == null
                || spec.scenarios().stream().anyMatch(s -> !s.scenario().equals("bytes"));
        boolean builtIn = needsOrigin && spec.origin().external() == null;
        progress.note("preparing the photo corpus: " + spec.photos());
        corpus.prepare(spec.photos());
        try (OriginServer origin = builtIn ? OriginServer.start(spec.origin().bind(), spec.origin().port(), corpus) : null;
                HttpTarget http = new HttpTarget(Duration.ofSeconds(5), spec.httpThreads())) {
            String originUrl = spec.origin().external() != null ? spec.origin().external().toString()
                    : origin == null ? "http://unused" : "http://" + host(spec.origin().advertise()) + ":" + origin.port();
            URI base = spec.target() != null ? spec.target() : URI.create(originUrl);
            URI endpoint = URI.create(base.toString().replaceAll("/+$", "") + "/v1/tags");
            if (origin != null) {
                progress.note("image origin: " + originUrl + " (" + spec.faults() + ")");
            }
            ScenarioMix mix = workloads(http, base, endpoint, corpus, new OriginUrls(originUrl, runId, spec.photos(),
                    spec.faults(), spec.seed()), runId);
            BulkWorkload backgroundBatches = spec.bulk().background() == 0 ? null
                    : bulk(http, base, new OriginUrls(originUrl, runId + "b", spec.photos(), spec.faults(), spec.seed()),
                            runId + "-background");
            List<Workload> checked = new ArrayList<>(mix.workloads());
            if (backgroundBatches != null) {
                checked.add(backgroundBatches);
                progress.note("beside every level: " + spec.bulk().background() + " bulk batch(es) of "
                        + spec.bulk().batchSize() + " URLs, reported apart");
            }
            boolean batches = spec.bulkLevels() || backgroundBatches != null;
            Duration answerWithin = batches ? spec.bulk().batchTimeout() : spec.clientTimeout();
            progress.note("target: " + endpoint + "; validating with " + spec.validate() + " request(s) per scenario");
            Validation.Result validation = Validation.run(checked, spec.validate(), 0, answerWithin);
            RunResult.ValidationSummary summary = new RunResult.ValidationSummary(validation.requests(),
                    validation.problems());
            if (!validation.passed()) {
                return result(started, t0, summary, List.of(), null, List.of(), origin, Verdict.VALIDATION_FAILED,
                        "validation failed: " + String.join("; ", validation.problems()));
            }
            TimeSeries series = new TimeSeries(t0);
            try (GeneratorMonitor monitor = new GeneratorMonitor(series);
                    MetricsScraper scraper = new MetricsScraper(spec.scrape(), MetricsScraper.DEFAULT_METRICS)) {
                Duration drain = (spec.bulkLevels() ? spec.bulk().batchTimeout() : spec.clientTimeout()).plusSeconds(2);
                LevelRunner runner = new LevelRunner(mix, monitor, scraper, series, new LevelRunner.Settings(
                        spec.goodLatency(), drain, spec.maxInflight(), spec.limits()), 1_000,
                        backgroundBatches == null ? null : new BackgroundBulk(backgroundBatches, spec.bulk().background(),
                                spec.bulk().batchSize(), spec.limits(), 1_000));
                List<LevelOutcome> levels = new ArrayList<>();
                RunResult.Knee knee = spec.knee() != null ? searchKnee(runner, levels) : Judgement.kneeOf(spec.slo(), levels(runner, levels));
                Verdict verdict = Judgement.verdict(spec.knee() != null, levels, knee);
                return result(started, t0, summary, levels, knee, series.points(), origin, verdict, Judgement.reason(verdict, levels, knee));
            }
        }
    }

    private ScenarioMix workloads(HttpTarget http, URI base, URI endpoint, PhotoCorpus corpus, OriginUrls urls,
            String runId) {
        RealtimeWorkload.Options options = new RealtimeWorkload.Options(spec.topK(), spec.clientTimeout());
        List<ScenarioMix.Share> shares = new ArrayList<>();
        for (RunSpec.Share s : spec.scenarios()) {
            Workload w = switch (s.scenario()) {
                case "url" -> RealtimeWorkload.url(http, endpoint, urls, options);
                case "multi" -> RealtimeWorkload.multi(http, endpoint, urls, spec.urlsPerRequest(), options);
                case "bytes" -> RealtimeWorkload.bytes(http, endpoint, corpus, spec.photos(), spec.seed(), options);
                case "bulk" -> bulk(http, base, urls, runId);
                default -> throw new IllegalArgumentException("scenario must be url, bytes, multi or bulk, got '"
                        + s.scenario() + "'");
            };
            shares.add(new ScenarioMix.Share(w, s.weight()));
        }
        return new ScenarioMix(shares, spec.seed());
    }

    private BulkWorkload bulk(HttpTarget http, URI base, OriginUrls urls, String keyPrefix) {
        RunSpec.Bulk b = spec.bulk();
        return new BulkWorkload("bulk", http, base, urls, "loadtest-" + keyPrefix, new BulkWorkload.Options(b.batchSize(),
                spec.topK(), b.pollInterval(), b.batchTimeout(), spec.clientTimeout()));
    }

    private List<LevelOutcome> levels(LevelRunner runner, List<LevelOutcome> levels) throws InterruptedException {
        for (int i = 0; i < spec.levels().size(); i++) {
            levels.add(runLevel(runner, new LevelSpec(i, spec.levels().get(i), spec.warmup(), spec.duration(),
                    spec.seed() + i), spec.levels().size()));
        }
        return levels;
    }

    private RunResult.Knee searchKnee(LevelRunner runner, List<LevelOutcome> levels) throws InterruptedException {
        RunSpec.Knee k = spec.knee();
        Map<Double, Integer> levelOfRate = new java.util.HashMap<>();
        KneeSearch.Result r = KneeSearch.search(k.start(), k.max(), k.refinements(),
                k.untilInvalid() ? "the schedule" : "the SLO", rate -> {
            levelOfRate.put(rate, levels.size());
            LevelOutcome o = runLevel(runner, new LevelSpec(levels.size(), new LoadModel.Open(RateShape.constant(rate),
                    k.arrivals()), spec.warmup(), spec.duration(), spec.seed() + levels.size()), 0);
            levels.add(o);
            boolean valid = o.result().selfCheck().valid();
            if (k.untilInvalid()) {
                // measuring the generator itself: any late schedule counts against it, whoever took the CPU
                var g = o.result().generator();
                boolean onTime = g.lateShare() <= spec.limits().maxLateShare() || g.late() < 10;
                return new KneeSearch.Verdict(valid && onTime && o.slo().passed(), true);
            }
            return new KneeSearch.Verdict(o.slo().passed(), valid);
        });
        if (r.knee().isEmpty()) {
            return new RunResult.Knee(null, "req/s", null, r.note());
        }
        double rate = r.knee().getAsDouble();
        return new RunResult.Knee(rate, "req/s", levelOfRate.get(rate), r.note());
    }

    private LevelOutcome runLevel(LevelRunner runner, LevelSpec level, int of) throws InterruptedException {
        progress.note(String.format(Locale.ROOT, "level %d%s: %s, %s warm-up + %s measured", level.index() + 1,
                of > 0 ? "/" + of : "", level.model().describe(), tagger.loadtest.DurationText.format(level.warmup()),
                tagger.loadtest.DurationText.format(level.duration())));
        LevelResult r = runner.run(level);
        SloResult slo = spec.slo().isEmpty() ? SloResult.NONE : spec.slo().evaluate(r);
        var cost = spec.cost().perMillionImages(r.throughput().goodputImages());
        LevelOutcome o = new LevelOutcome(r, slo, cost.isPresent() ? Math.round(cost.getAsDouble() * 10000) / 10000.0 : null);
        progress.level(o);
        // an overloaded level leaves work queued on the server; the next level must not inherit it
        boolean troubled = !o.slo().passed() || r.counts().errorShare() > 0;
        Duration pause = troubled && spec.settle().compareTo(spec.cooldown()) > 0 ? spec.settle() : spec.cooldown();
        if (!pause.isZero()) {
            Thread.sleep(pause.toMillis());
        }
        return o;
    }

    private RunResult result(Instant started, long t0, RunResult.ValidationSummary validation, List<LevelOutcome> levels,
            RunResult.Knee knee, List<TimeSeries.Point> series, OriginServer origin, Verdict verdict, String reason) {
        return new RunResult(spec.name(), started.toString(), (System.nanoTime() - t0) / 1e9, spec.describe(),
                environment(), validation, List.copyOf(levels), knee, series,
                origin == null ? null : origin.stats().snapshot(), verdict, verdict.exitCode(), reason);
    }

    private static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        env.put("httpClient", "java.net.http.HttpClient, HTTP/1.1");
        try {
            env.put("host", java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.net.UnknownHostException e) {
            env.put("host", "unknown");
        }
        return env;
    }

    private static String host(String advertise) {
        return advertise.contains(":") ? "[" + advertise + "]" : advertise;
    }
}
