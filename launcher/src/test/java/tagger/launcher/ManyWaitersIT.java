package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.models.DemoModel;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * Waiting for results holds no server thread: a thousand callers can wait at once. The api-server runs
 * in its own JVM so that its thread count (its {@code jvm_threads_live_threads}) is not mixed with the
 * test client's.
 */
class ManyWaitersIT {
    private static final int CALLERS = 1000;
    private static final int HTTP_THREADS = 64;
    private static final int WAVE = 50;
    /** Far longer than the arrival of all callers takes on a loaded machine: no waiter may time out early. */
    private static final int DEADLINE_S = 300;

    @Test
    void aThousandWaitingRequestsNeitherExhaustThreadsNorBlockHealthChecks(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] png = SampleImages.png(SampleImages.solid(64, 64, Color.GREEN));
        int port = LocalStack.freePort();
        String base = "http://127.0.0.1:" + port;
        try (TestNamespace ns = TestNamespace.random();
                ChildProcess api = ChildProcess.start("api", "tagger.api.ApiServerMain", TestStack.env(ns, Map.of(
                        "TAGGER_HTTP_HOST", "127.0.0.1", "TAGGER_HTTP_PORT", Integer.toString(port),
                        "TAGGER_TIMEOUT_MS", DEADLINE_S + "000", "TAGGER_MAX_TIMEOUT_MS", DEADLINE_S + "000",
                        "TAGGER_HTTP_THREADS", Integer.toString(HTTP_THREADS))),
                        tmp.resolve("logs"), base + "/readyz")) {
            api.awaitReady(Duration.ofSeconds(60));
            String metrics = base + "/metrics";
            double threadsBefore = Http.metric(metrics, "jvm_threads_live_threads", null);
            assertTrue(threadsBefore > 0, "the api-server reports its live threads");

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            // no worker yet: every request is accepted and waits for its result. They arrive in waves no larger
            // than a listen backlog (50): a thousand connects at once overflow it, and the kernel's SYN retries
            // (1 s, 2 s, 4 s...) would make the arrival, not the server, what this test measures
            for (int wave = 0; wave < CALLERS / WAVE; wave++) {
                for (int i = 0; i < WAVE; i++) {
                    calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/tags"))
                            .timeout(Duration.ofSeconds(DEADLINE_S + 60)).header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                int sent = calls.size();
                try {
                    TestStack.awaitTrue(sent + " requests wait", Duration.ofSeconds(60),
                            () -> Http.metric(metrics, "tagger_api_waiting", null) >= sent);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; " + Http.metric(metrics, "tagger_api_waiting", null)
                            + " waiting; answered early:\n" + answered(calls), e);
                }
            }
            double threadsWhileWaiting = Http.metric(metrics, "jvm_threads_live_threads", null);
            System.out.printf("api-server threads: %.0f idle, %.0f with %d requests waiting%n", threadsBefore,
                    threadsWhileWaiting, CALLERS);
            // the HTTP pool may grow to its bound of 64 under the burst; everything else is fixed. A thread per
            // waiting request would add a thousand.
            assertTrue(threadsWhileWaiting <= threadsBefore + HTTP_THREADS, "the api-server's threads grew from "
                    + threadsBefore + " to " + threadsWhileWaiting + " while " + CALLERS + " requests waited "
                    + "(HTTP pool bound " + HTTP_THREADS + ")");
            // with every HTTP thread held by a waiter this could only answer after a waiter's deadline; Http.get
            // gives up after 10 s
            assertEquals(200, Http.get(base + "/healthz").status(), "health check answered while they waited");

            try (Worker worker = TestStack.worker(ns, model, Map.of("TAGGER_MAX_BATCH", "32"))) {
                for (CompletableFuture<HttpResponse<String>> call : calls) {
                    HttpResponse<String> r = call.get();
                    assertEquals(200, r.statusCode(), r.body());
                    assertTrue(r.body().contains("\"label\":\"green\""), r.body());
                }
            }
        }
    }

    private static String answered(List<CompletableFuture<HttpResponse<String>>> calls) {
        StringBuilder early = new StringBuilder();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            if (call.isDone()) {
                early.append(call.handle((r, e) -> e != null ? e.toString() : r.statusCode() + " " + r.body()).join())
                        .append('\n');
            }
        }
        return early.toString();
    }
}
