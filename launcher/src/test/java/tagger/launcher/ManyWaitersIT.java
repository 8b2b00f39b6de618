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
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/** Waiting for results holds no server thread: a thousand callers can wait at once. */
class ManyWaitersIT {
    private static final int CALLERS = 1000;

    @Test
    void aThousandWaitingRequestsNeitherExhaustThreadsNorBlockHealthChecks(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] png = SampleImages.png(SampleImages.solid(64, 64, Color.GREEN));
        try (TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_TIMEOUT_MS", "60000", "TAGGER_HTTP_THREADS", "64"))) {
            int threadsBefore = Thread.activeCount();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(TestStack.tagsUrl(api)))
                        .timeout(Duration.ofSeconds(90)).header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // no worker yet: every request is accepted and waits for its result
            String metrics = TestStack.metricsUrl(api);
            long until = System.currentTimeMillis() + 60_000;
            while (Http.metric(metrics, "tagger_api_waiting", null) < CALLERS && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
            double waiting = Http.metric(metrics, "tagger_api_waiting", null);
            if (waiting < CALLERS) {
                StringBuilder early = new StringBuilder();
                for (CompletableFuture<HttpResponse<String>> call : calls) {
                    if (call.isDone()) {
                        early.append(call.handle((r, e) -> e != null ? e.toString() : r.statusCode() + " " + r.body())
                                .join()).append('\n');
                    }
                }
                throw new AssertionError(waiting + " of " + CALLERS + " waiting; answered early:\n" + early);
            }
            int threadsWhileWaiting = Thread.activeCount();
            // the server's pool is bounded at TAGGER_HTTP_THREADS=64: a thread per waiting request could
            // never have let 1000 wait; the client's and broker clients' threads come on top
            assertTrue(threadsWhileWaiting - threadsBefore < 150, "threads grew from " + threadsBefore + " to "
                    + threadsWhileWaiting + " while " + CALLERS + " requests waited");
            long start = System.nanoTime();
            assertEquals(200, Http.get("http://127.0.0.1:" + api.port() + "/healthz").status());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "health check answered promptly");

            try (Worker worker = TestStack.worker(ns, model, Map.of("TAGGER_MAX_BATCH", "32"))) {
                for (CompletableFuture<HttpResponse<String>> call : calls) {
                    HttpResponse<String> r = call.get();
                    assertEquals(200, r.statusCode(), r.body());
                    assertTrue(r.body().contains("\"label\":\"green\""), r.body());
                }
            }
        }
    }
}
