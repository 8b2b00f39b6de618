package tagger.launcher.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.ApiServerMain;
import tagger.api.tracing.FlowSpans;
import tagger.api.tracing.ResultSpans;
import tagger.common.JobMeta;
import tagger.common.TrafficClass;
import tagger.worker.tracing.WorkerSpans;
import io.opentelemetry.api.trace.Span;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import tagger.launcher.bench.StageSamples.Stage;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.OtlpReceiver;
import tagger.fixtures.ScratchNamespace;
import tagger.tracing.Exemplars;
import tagger.tracing.TraceKit;
import tagger.tracing.Tracing;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;
import tagger.worker.WorkerMain;

/**
 * {@code ./tagger bench latency --tracing}: the latency bench with tracing off, on at 100 % sampling
 * and on at 1 %, rounds interleaved (off, 100 %, 1 %, off, ...) on one stack so that the machine's
 * drift hits every variant alike. Spans go over OTLP/HTTP to a receiver in this process, which decodes
 * them (the cost of a collector is not the services'). The stack starts with tracing on, so its
 * Prometheus registry samples exemplars in every variant (with tracing off there is no span to name).
 */
final class TracingOverhead {
    private TracingOverhead() {
    }

    static int run(LatencyCommand c, byte[] jpeg, Path modelDir) throws Exception {
        Map<String, List<StageSamples>> byVariant = new LinkedHashMap<>();
        try (ScratchNamespace ns = BenchNamespace.create();
                ImageOrigin origin = ImageOrigin.start();
                OtlpReceiver otlp = OtlpReceiver.start()) {
            Map<String, TraceKit> variants = new LinkedHashMap<>();
            variants.put("off", TraceKit.OFF);
            variants.put("on, 100 %", Tracing.open("tagger-bench", Map.of("OTEL_TRACES_EXPORTER", "otlp",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())));
            variants.put("on, 1 %", Tracing.open("tagger-bench", Map.of("OTEL_TRACES_EXPORTER", "otlp",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(), "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                    "OTEL_TRACES_SAMPLER_ARG", "0.01")));
            TraceKit.install(variants.get("on, 100 %"));
            Map<String, String> env = LatencyCommand.env(ns, modelDir);
            try (Worker worker = WorkerMain.start(WorkerConfig.fromEnv(env));
                    ApiServer api = ApiServerMain.start(ApiConfig.fromEnv(env))) {
                LatencyCommand.awaitReady(api, worker);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                String tags = "http://127.0.0.1:" + api.port() + "/v1/tags";
                for (Map.Entry<String, TraceKit> v : variants.entrySet()) {
                    TraceKit.install(v.getValue());
                    LatencyCommand.send(http, tags, origin, jpeg, "warmup-" + v.getKey().hashCode(), c.warmup,
                            new StageSamples());
                    byVariant.put(v.getKey(), new ArrayList<>());
                }
                for (int r = 1; r <= c.repeats; r++) {
                    for (Map.Entry<String, TraceKit> v : variants.entrySet()) {
                        TraceKit.install(v.getValue());
                        StageSamples round = new StageSamples();
                        LatencyCommand.send(http, tags, origin, jpeg, "r" + r + "-" + v.getKey().hashCode(),
                                c.requests, round);
                        byVariant.get(v.getKey()).add(round);
                        System.out.printf(Locale.ROOT, "  run %d/%d, tracing %s: client p50 %.2f ms, total p50 %.1f ms%n",
                                r, c.repeats, v.getKey(), round.sample(Stage.CLIENT).median(),
                                round.sample(Stage.TOTAL).median());
                    }
                }
            } finally {
                TraceKit.install(TraceKit.OFF);
                for (TraceKit k : variants.values()) {
                    k.close();
                }
            }
            System.out.println("  spans received by the OTLP receiver: " + otlp.spans().size());
        }
        System.out.printf(Locale.ROOT, "  stage hooks of one request with tracing off: %.0f ns without a caller "
                + "traceparent, %.0f ns with one (best of 5 x 1 000 000)%n", offHooks(null),
                offHooks("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        Table table = new Table("tracing", "client p50", "client p90", "client p99", "total p50", "client p50 vs off");
        double off = median(byVariant.get("off"), Stage.CLIENT, 50);
        for (Map.Entry<String, List<StageSamples>> e : byVariant.entrySet()) {
            double p50 = median(e.getValue(), Stage.CLIENT, 50);
            table.row(e.getKey(), ms(p50), ms(median(e.getValue(), Stage.CLIENT, 90)),
                    ms(median(e.getValue(), Stage.CLIENT, 99)), ms(median(e.getValue(), Stage.TOTAL, 50)),
                    String.format(Locale.ROOT, "%+.2f ms (x%.3f)", p50 - off, p50 / off));
        }
        System.out.println();
        System.out.print(table.console());
        System.out.printf(Locale.ROOT, "(ms; each cell the median over %d interleaved runs of %d requests per variant)%n",
                c.repeats, c.requests);
        System.out.println();
        System.out.println("Markdown:");
        System.out.print(table.markdown());
        return 0;
    }

    /**
     * Nanoseconds per request spent in the stage hooks with tracing off: the calls one real-time request
     * makes on its way through the api-server and the worker (the HTTP span's is one field read more).
     */
    static double offHooks(String callerTraceparent) {
        TraceKit.install(TraceKit.OFF);
        JobMeta meta = new JobMeta("r", "api", TrafficClass.REALTIME, 1, 2, 1, 0, "", null, null, "http://h/x.jpg",
                null, null, callerTraceparent);
        List<Double> waits = List.of(0.1);
        Supplier<CompletableFuture<String>> fetch = () -> DONE;
        long sink = 0;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) {
                sink += FlowSpans.download(callerTraceparent, "http://h/x.jpg", fetch).isDone() ? 1 : 0;
                Span publish = FlowSpans.publish(callerTraceparent, null);
                String tp = FlowSpans.jobTraceparent(publish, callerTraceparent);
                Span wait = FlowSpans.resultWait(callerTraceparent);
                FlowSpans.confirmed(publish, null);
                WorkerSpans.queueWait(meta, 0);
                WorkerSpans.preprocessed(meta, 1.0);
                WorkerSpans.inference(1, j -> meta).ran(waits);
                WorkerSpans.resultWritten(meta, WorkerSpans.now(), true, null);
                ResultSpans.received(wait, "notification", tp);
                FlowSpans.end(wait, null);
                sink += Exemplars.within(callerTraceparent, () -> tp == null ? 0 : tp.length());
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        if (sink == 42) {
            System.out.print("");
        }
        return best;
    }

    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture("x");

    private static double median(List<StageSamples> rounds, Stage stage, double p) {
        return Sample.of(rounds.stream().mapToDouble(r -> r.sample(stage).percentile(p)).toArray()).median();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
