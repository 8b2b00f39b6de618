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
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.ApiServerMain;
import tagger.common.Json;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.ScratchNamespace;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;
import tagger.worker.WorkerMain;

/**
 * {@code ./tagger bench cache}: the result cache's answer beside a miss, at idle, side by side: each
 * photo is sent by one URL (a miss: through the workers, which fill the cache) and then by a second
 * URL with the same bytes (a hit: downloaded and hashed, answered without publishing).
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Idle latency of a result-cache hit beside a miss, one request at a time.")
final class CacheCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "100",
            description = "Measured photos, each sent twice (miss, then hit) (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "20", description = "Unmeasured photos first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--width", defaultValue = "640", description = "Photo width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "480", description = "Photo height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--model", defaultValue = "demo",
            description = "demo | mobilenetv2 | resnet50 (default: ${DEFAULT-VALUE}).")
    BenchModel model;

    /** One answer: what the client waited, and the server's own total and download. */
    private record Answer(double clientMs, double totalMs, double downloadMs) {
    }

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || warmup < 0 || width < 16 || height < 16) {
            throw BenchCommand.badOption(spec, "--requests must be >= 1, --warmup >= 0 and the size at least 16x16, got "
                    + requests + ", " + warmup + " and " + width + "x" + height);
        }
        Path dir = model.directory();
        List<byte[]> photos = BenchImages.jpegs(warmup + requests, width, height);
        System.out.printf(Locale.ROOT, "bench cache: model %s, %d different %dx%d JPEGs (%d KB average), each by URL "
                + "twice (miss, then hit); %d warm-up + %d measured%n", model, photos.size(), width, height,
                BenchImages.averageBytes(photos) / 1024, warmup, requests);
        System.out.println("  machine: " + Machine.describe() + "; load average " + Machine.load());
        List<Answer> misses = new ArrayList<>();
        List<Answer> hits = new ArrayList<>();
        try (ScratchNamespace ns = BenchNamespace.create();
                ImageOrigin origin = ImageOrigin.start()) {
            Map<String, String> env = LatencyCommand.env(ns, dir);
            try (Worker worker = WorkerMain.start(WorkerConfig.fromEnv(env));
                    ApiServer api = ApiServerMain.start(ApiConfig.fromEnv(env))) {
                LatencyCommand.awaitReady(api, worker);
                awaitServedModel(api);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                String tags = "http://127.0.0.1:" + api.port() + "/v1/tags";
                for (int i = 0; i < photos.size(); i++) {
                    byte[] photo = photos.get(i);
                    Answer miss = send(http, tags, origin.put("/miss-" + i + ".jpg", photo, "image/jpeg"), "miss");
                    Answer hit = send(http, tags, origin.put("/hit-" + i + ".jpg", photo, "image/jpeg"), "hit");
                    if (i >= warmup) {
                        misses.add(miss);
                        hits.add(hit);
                    }
                }
            }
        }
        System.out.println("  load average at the end: " + Machine.load());
        Table table = table(misses, hits);
        System.out.println();
        System.out.print(table.console());
        System.out.printf(Locale.ROOT, "(ms; client = what the caller waited, total = the api-server's own figure; "
                + "p50 hit/miss = %.2f)%n", p(hits, Answer::clientMs, 50) / p(misses, Answer::clientMs, 50));
        System.out.println();
        System.out.println("Markdown:");
        System.out.print(table.markdown());
        return 0;
    }

    private static Table table(List<Answer> misses, List<Answer> hits) {
        Table table = new Table("answer", "client p50", "client p90", "client p99", "total p50", "download p50");
        for (Map.Entry<String, List<Answer>> e : List.of(Map.entry("miss (worker)", misses),
                Map.entry("hit (cache)", hits))) {
            List<Answer> a = e.getValue();
            table.row(e.getKey(), ms(p(a, Answer::clientMs, 50)), ms(p(a, Answer::clientMs, 90)),
                    ms(p(a, Answer::clientMs, 99)), ms(p(a, Answer::totalMs, 50)), ms(p(a, Answer::downloadMs, 50)));
        }
        return table;
    }

    private static double p(List<Answer> answers, ToDoubleFunction<Answer> field, double p) {
        return Sample.of(answers.stream().mapToDouble(field).toArray()).percentile(p);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static Answer send(HttpClient http, String tagsUrl, String imageUrl, String expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tagsUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("url", imageUrl)))).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double clientMs = (System.nanoTime() - start) / 1e6;
        JsonNode body = Json.MAPPER.readTree(response.body());
        String verdict = body.path("timings").path("cache").asText();
        if (response.statusCode() != 200 || !expected.equals(verdict)) {
            throw new IllegalStateException(imageUrl + " should be a cache " + expected + ", got HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        JsonNode t = body.path("timings");
        return new Answer(clientMs, t.path("total").asDouble(), t.path("download").asDouble());
    }

    private static void awaitServedModel(ApiServer api) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.cache().servedModels().isEmpty()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the api-server learned no served model within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
