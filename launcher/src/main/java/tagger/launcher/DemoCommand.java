package tagger.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tagger.common.Json;
import tagger.common.Names;
import tagger.common.Settings;
import tagger.transport.rabbit.RabbitTopology;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.SampleImages;

/**
 * {@code ./tagger demo}: starts a stack with the demo model, serves generated images from a local
 * origin, tags them by URL and by upload through the HTTP API, prints a table, shuts down.
 */
@Command(name = "demo", description = "Tag a few generated images end to end and print the results.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--embedded", description = "Run in one process with an in-memory queue and result store.")
    boolean embedded;

    @Option(names = "--workers", defaultValue = "1", description = "Worker processes (default: ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public Integer call() throws Exception {
        boolean servicesMissing = "missing".equals(System.getenv("TAGGER_SERVICES"));
        Path model = Home.demoModel();
        Map<String, String> env = ServiceEnv.PRIVATE_ORIGINS;
        String namespace = "demo-" + UUID.randomUUID().toString().substring(0, 6);
        System.out.println("tagger demo: starting a stack with the demo model (" + model + ")");
        if (embedded || servicesMissing) {
            System.out.println("  EMBEDDED MODE: one process, in-memory queue and result store "
                    + "(install RabbitMQ and Redis for the distributed mode)");
        }
        try (ImageOrigin origin = ImageOrigin.start();
                Stack stack = embedded || servicesMissing
                        ? EmbeddedStack.start(model, 0, env)
                        : LocalStack.start(workers, model, 0, namespace, env)) {
            System.out.println("  " + stack.describe());
            System.out.println("  api-server: " + stack.url() + "   image origin: " + origin.url("/"));
            System.out.println();
            Map<String, String> urls = serveSamples(origin);
            HttpClient http = HttpClient.newHttpClient();
            List<ResultTable.Row> rows = new ArrayList<>();

            String body = Json.write(Map.of("urls", List.copyOf(urls.values()), "topK", 3));
            HttpResponse<String> byUrl = http.send(HttpRequest.newBuilder(URI.create(stack.url() + "/v1/tags"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            List<String> names = List.copyOf(urls.keySet());
            JsonNode results = Json.MAPPER.readTree(byUrl.body()).path("results");
            for (int i = 0; i < names.size(); i++) {
                rows.add(ResultTable.Row.of(names.get(i), "url", results.get(i)));
            }

            byte[] upload = SampleImages.png(SampleImages.rainbow(320, 240));
            HttpResponse<String> byBytes = http.send(HttpRequest.newBuilder(
                            URI.create(stack.url() + "/v1/tags?topK=3")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            rows.add(ResultTable.Row.of("rainbow.png", "upload", Json.MAPPER.readTree(byBytes.body())));

            System.out.println(ResultTable.render(rows));
            System.out.println("POST /v1/tags with " + urls.size() + " URLs -> HTTP " + byUrl.statusCode()
                    + "; upload -> HTTP " + byBytes.statusCode());
            System.out.println("Server-Timing (upload): " + byBytes.headers().firstValue("Server-Timing").orElse("-"));
            boolean ok = byUrl.statusCode() == 200 && byBytes.statusCode() == 200;
            System.out.println(ok ? "demo finished: shutting down" : "demo FAILED: see the statuses above");
            return ok ? 0 : 1;
        } finally {
            if (!(embedded || servicesMissing)) {
                deleteQueues(namespace);
            }
        }
    }

    /** The demo's queues are its own (a random namespace): remove them rather than leave them on the broker. */
    private static void deleteQueues(String namespace) {
        try {
            RabbitTopology.delete(new Settings(System.getenv()).rabbitUri(), new Names(namespace));
        } catch (Exception e) {
            System.err.println("could not delete the demo's queues (namespace " + namespace + "): " + e);
        }
    }

    /** Generated images in several formats, plus one URL that answers 404 to show an item error. */
    private static Map<String, String> serveSamples(ImageOrigin origin) {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("red.jpg", origin.put("/red.jpg", SampleImages.jpeg(SampleImages.solid(640, 480, new Color(220, 20, 30))), "image/jpeg"));
        urls.put("green.png", origin.put("/green.png", SampleImages.png(SampleImages.solid(640, 480, new Color(30, 170, 40))), "image/png"));
        urls.put("blue.gif", origin.put("/blue.gif", SampleImages.encode(SampleImages.solid(320, 240, new Color(25, 60, 210)), "gif"), "image/gif"));
        urls.put("yellow.bmp", origin.put("/yellow.bmp", SampleImages.encode(SampleImages.solid(320, 240, new Color(245, 225, 30)), "bmp"), "image/bmp"));
        urls.put("black.jpg", origin.put("/black.jpg", SampleImages.jpeg(SampleImages.solid(640, 480, Color.BLACK)), "image/jpeg"));
        urls.put("white.png", origin.put("/white.png", SampleImages.png(SampleImages.solid(640, 480, Color.WHITE)), "image/png"));
        urls.put("rainbow.jpg", origin.put("/rainbow.jpg", SampleImages.jpeg(SampleImages.rainbow(640, 480)), "image/jpeg"));
        urls.put("photo.jpg", origin.put("/photo.jpg", SampleImages.jpeg(SampleImages.photoLike(1920, 1080, 7)), "image/jpeg"));
        urls.put("missing.jpg", origin.url("/missing.jpg"));
        return urls;
    }
}
