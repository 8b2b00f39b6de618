package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.common.Json;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;

/**
 * {@code ./tagger scale workers N} against the real supervisor: workers leave and join under load,
 * every request is answered exactly once, and nothing else restarts.
 */
class ScaleIT {
    private static final int REQUESTS = 80;
    /** Requests from here on download from a held origin path until the scale-down has returned. */
    private static final int HELD_FROM = 60;

    @Test
    void scalingWorkersDownAndUpUnderLoadLosesNothingAndRestartsNothingElse(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] photo = SampleImages.jpeg(SampleImages.photoLike(1600, 1200, 3), 0.9f);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                LocalStack stack = LocalStack.start(new LocalStack.Plan(1, 2, model, 0, ns.names().namespace(),
                        TestStack.env(ns, Map.of("TAGGER_ALLOW_PRIVATE_NETWORKS", "true", "TAGGER_TIMEOUT_MS", "60000",
                                "TAGGER_MAX_TIMEOUT_MS", "60000", "TAGGER_MAX_BATCH", "4",
                                "TAGGER_PREPROCESS_THREADS", "1", "TAGGER_DOWNLOAD_READ_TIMEOUT_MS", "60000",
                                "TAGGER_DOWNLOAD_TIMEOUT_MS", "60000",
                                // one photo under 80 URLs: without the result cache each request reaches a worker
                                "TAGGER_CACHE", "false"))), tmp.resolve("logs"), System.out);
                ControlServer control = ControlServer.start(stack)) {
            Path file = tmp.resolve("stack.json");
            new StackFile(ProcessHandle.current().pid(), stack.url(), control.url(), control.token(),
                    ns.names().namespace(), System.currentTimeMillis()).write(file);
            StackFile recorded = StackFile.read(file).orElseThrow();
            long apiPid = stack.apiServers().get(0).pid();
            ChildProcess first = stack.workers().get(0);
            ChildProcess leaving = stack.workers().get(1);
            for (int i = 0; i < REQUESTS; i++) {
                origin.put("/p" + i + ".jpg", photo, "image/jpeg");
            }

            ClosedLoop load = ClosedLoop.start(8, REQUESTS, i -> HttpRequest.newBuilder(URI.create(stack.url() + "/v1/tags"))
                    .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + origin.url((i < HELD_FROM ? "" : "/held")
                            + "/p" + i + ".jpg") + "\"}"))
                    .build());
            TestStack.awaitTrue("15 requests answered", Duration.ofSeconds(120), () -> load.completed() >= 15);
            JsonNode down = ScaleCommand.scale(recorded, 1);
            int completedAtScale = load.completed();
            origin.release();
            assertEquals("workers: 2 -> 1 (stopped " + leaving.name() + "; each finished its in-flight jobs or handed "
                    + "them back)", ScaleCommand.describe(down));
            assertTrue(completedAtScale < REQUESTS, "the worker left while requests were still coming: "
                    + completedAtScale);
            List<ClosedLoop.Call> calls = load.await(Duration.ofSeconds(120));
            load.close();

            // no lost work: every request answered once, with tags
            Set<String> ids = new HashSet<>();
            for (ClosedLoop.Call c : calls) {
                assertEquals(200, c.status(), c.body());
                JsonNode body = Json.MAPPER.readTree(c.body());
                assertTrue(ids.add(body.path("requestId").asText()));
                assertTrue(body.path("tags").size() > 0, c.body());
            }
            assertEquals(REQUESTS, ids.size());
            // the leaving worker stopped gracefully, saying what it did with its in-flight jobs
            assertTrue(leaving.exitCode().isPresent(), "the scaled-down worker exited");
            String log = Files.readString(leaving.log());
            assertTrue(log.contains("job(s) handed back to the queue"), log);
            // no redelivery storm: nothing reached the delivery limit, at most one prefetch window came back
            assertEquals(0, ns.messageCount(ns.names().deadLetter()));
            String firstMetrics = first.readyUrl().replace("/readyz", "/metrics");
            double redelivered = Http.metric(firstMetrics, "tagger_worker_redelivered_total", null);
            assertTrue(redelivered <= 8, "jobs answered on a second delivery: " + redelivered + " (prefetch 8)");
            // nothing else restarted
            assertEquals(apiPid, stack.apiServers().get(0).pid());
            assertTrue(stack.apiServers().get(0).alive() && first.alive());
            awaitWorkersOnline(stack.url(), List.of(first.name()));

            JsonNode up = ScaleCommand.scale(recorded, 2);
            assertEquals(List.of(ns.names().namespace() + "-worker-3"), names(up.path("started")),
                    "worker ids are never reused");
            awaitWorkersOnline(stack.url(), List.of(first.name(), ns.names().namespace() + "-worker-3"));
            assertEquals(first.pid(), stack.workers().get(0).pid());
            assertEquals(apiPid, stack.apiServers().get(0).pid());
            assertEquals("workers: 2 (unchanged)", ScaleCommand.describe(ScaleCommand.scale(recorded, 2)));
        }
    }

    @Test
    void theControlChannelWantsItsTokenAndASaneCount(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                LocalStack stack = LocalStack.start(new LocalStack.Plan(1, 1, model, 0, ns.names().namespace(),
                        TestStack.env(ns, Map.of())), tmp.resolve("logs"), System.out);
                ControlServer control = ControlServer.start(stack)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(control.url() + "/workers?count=3"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, noToken.statusCode());
            assertEquals(1, stack.workers().size(), "nothing was started without the token");
            StackFile file = new StackFile(1, stack.url(), control.url(), control.token(), "x", 0);
            IllegalStateException tooMany = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ScaleCommand.scale(file, 65));
            assertEquals("scaling refused: count must be between 0 and 64, got 65", tooMany.getMessage());
            HttpResponse<String> stackInfo = http.send(HttpRequest.newBuilder(URI.create(control.url() + "/stack"))
                    .header(ControlServer.TOKEN_HEADER, control.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stackInfo.statusCode());
            assertEquals(ns.names().namespace() + "-worker-1",
                    Json.MAPPER.readTree(stackInfo.body()).path("stack").path("workers").get(0).path("name").asText());
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void awaitWorkersOnline(String url, List<String> expected) {
        TestStack.awaitTrue("workers online are " + expected, Duration.ofSeconds(20), () -> {
            JsonNode c = Http.get(url + "/v1/cluster").body();
            List<String> online = new ArrayList<>();
            c.path("workers").forEach(w -> online.add(w.path("id").asText()));
            return online.equals(expected) && c.path("workersOnline").asInt() == expected.size();
        });
    }
}
