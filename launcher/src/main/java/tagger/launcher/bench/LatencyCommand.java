package tagger.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.ApiServerMain;
import tagger.common.Json;
import tagger.common.Timings;
import tagger.launcher.ServiceEnv;
import tagger.launcher.bench.StageSamples.Stage;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.SampleImages;
import tagger.fixtures.ScratchNamespace;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;
import tagger.worker.WorkerMain;

/**
 * {@code ./tagger bench latency}: one 640×480 JPEG at a time through the whole distributed stack
 * (api-server → RabbitMQ → worker → Redis → api-server, in this process, production wiring), each
 * from a URL never used before and past the result cache; per-stage percentiles from the results' own
 * timings.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Idle per-stage latency of one 640x480 JPEG through the whole stack.")
final class LatencyCommand implements Callable<Integer> {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "200",
            description = "Measured requests per run (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "20",
            description = "Unmeasured requests first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Measured runs on the same stack (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--model", defaultValue = "demo",
            description = "demo | mobilenetv2 | resnet50 (default: ${DEFAULT-VALUE}).")
    BenchModel model;

    @Option(names = "--tracing", description = "Compare tracing off with tracing on (OTLP to a receiver in this "
            + "process) at 100 %% and 1 %% sampling, rounds interleaved on one stack.")
    boolean tracing;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || warmup < 0 || repeats < 1) {
            throw BenchCommand.badOption(spec, "--requests and --repeats must be >= 1 and --warmup >= 0, got "
                    + requests + ", " + repeats + " and " + warmup);
        }
        Path dir = model.directory();
        byte[] jpeg = SampleImages.jpeg(SampleImages.photoLike(640, 480, 7));
        System.out.printf(Locale.ROOT, "bench latency: model %s, one 640x480 JPEG (%d KB) at a time, %d warm-up + "
                + "%d x %d measured requests%n", model, jpeg.length / 1024, warmup, repeats, requests);
        System.out.println("  machine: " + Machine.describe() + "; load average " + Machine.load());
        if (tracing) {
            return TracingOverhead.run(this, jpeg, dir);
        }
        List<StageSamples> rounds = new ArrayList<>();
        try (ScratchNamespace ns = BenchNamespace.create();
                ImageOrigin origin = ImageOrigin.start()) {
            Map<String, String> env = env(ns, dir);
            try (Worker worker = WorkerMain.start(WorkerConfig.fromEnv(env));
                    ApiServer api = ApiServerMain.start(ApiConfig.fromEnv(env))) {
                awaitReady(api, worker);
                System.out.println("  worker: " + worker.device() + ", default settings; api-server on port "
                        + api.port());
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                String tags = "http://127.0.0.1:" + api.port() + "/v1/tags";
                send(http, tags, origin, jpeg, "warmup", warmup, new StageSamples());
                for (int r = 1; r <= repeats; r++) {
                    StageSamples round = new StageSamples();
                    send(http, tags, origin, jpeg, "run" + r, requests, round);
                    rounds.add(round);
                    System.out.printf(Locale.ROOT, "  run %d/%d: total p50 %.1f ms, overhead p50 %.1f ms%n", r, repeats,
                            round.sample(Stage.TOTAL).median(), round.sample(Stage.OVERHEAD).median());
                }
            }
        }
        System.out.println("  load average at the end: " + Machine.load());
        Table table = table(rounds);
        System.out.println();
        System.out.print(table.console());
        System.out.printf(Locale.ROOT, "(ms; each cell the median over %d runs of %d requests, p50 range in the last "
                + "column; target: overhead p50 <= 5 ms)%n", repeats, requests);
        System.out.println();
        System.out.println("Markdown:");
        System.out.print(table.markdown());
        return 0;
    }

    static Table table(List<StageSamples> rounds) {
        Table table = new Table("stage", "p50", "p90", "p99", "p50 range");
        for (Stage stage : Stage.values()) {
            Sample p50 = across(rounds, stage, 50);
            table.row(stage.label, ms(p50.median()), ms(across(rounds, stage, 90).median()),
                    ms(across(rounds, stage, 99).median()), ms(p50.min()) + "-" + ms(p50.max()));
        }
        return table;
    }

    /** One stage's percentile {@code p} of each run. */
    private static Sample across(List<StageSamples> rounds, Stage stage, double p) {
        return Sample.of(rounds.stream().mapToDouble(r -> r.sample(stage).percentile(p)).toArray());
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** The environment of the in-process stack benchmarks start (also {@link CacheCommand}). */
    static Map<String, String> env(ScratchNamespace ns, Path modelDir) {
        Map<String, String> env = ServiceEnv.services(ns);
        env.putAll(ServiceEnv.loopback(0));
        env.putAll(ServiceEnv.PRIVATE_ORIGINS);
        env.put("TAGGER_MODEL_DIR", modelDir.toString());
        env.put("TAGGER_DEVICE", "cpu");
        return env;
    }

    /** Sends {@code count} requests one after another, each for a URL not used before. */
    static void send(HttpClient http, String tagsUrl, ImageOrigin origin, byte[] jpeg, String prefix,
            int count, StageSamples into) throws Exception {
        for (int i = 0; i < count; i++) {
            String url = origin.put("/" + prefix + "-" + i + ".jpg", jpeg, "image/jpeg");
            HttpRequest request = HttpRequest.newBuilder(URI.create(tagsUrl)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    // the same bytes every time: past the result cache (`bench cache` measures that)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("url", url, "cache", false)))).build();
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            double clientMs = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("request " + prefix + "-" + i + " answered HTTP "
                        + response.statusCode() + ": " + response.body());
            }
            JsonNode timings = Json.MAPPER.readTree(response.body()).path("timings");
            into.add(Json.MAPPER.treeToValue(timings, Timings.class), clientMs);
        }
    }

    static void awaitReady(ApiServer api, Worker worker) throws InterruptedException {
        long until = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (api.readiness().containsValue(false) || worker.readiness().containsValue(false)) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the stack was not ready within " + READY_TIMEOUT.toSeconds()
                        + " s: api-server " + api.readiness() + ", worker " + worker.readiness());
            }
            Thread.sleep(20);
        }
    }
}
