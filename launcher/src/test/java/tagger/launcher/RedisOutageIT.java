package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.fixtures.RedisProcess;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * The result store goes down: nothing is accepted that cannot be answered, nothing waits for an answer
 * that cannot come, the operator view says what it does not know, and everything resumes when it is back.
 * Uses a redis-server of its own, never the shared one.
 */
class RedisOutageIT {
    private static final long DEADLINE_MS = 30_000;

    @Test
    void whileTheStoreIsDownRequestsAreRefusedWith503AndWaitingOnesAreAnsweredBeforeTheirDeadline(@TempDir Path tmp)
            throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] png = SampleImages.png(SampleImages.solid(64, 64, new Color(30, 60, 220)));
        try (RedisProcess redis = RedisProcess.start(false);
                TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_REDIS_URI", redis.uri().toString(),
                        "TAGGER_TIMEOUT_MS", Long.toString(DEADLINE_MS)))) {
            String base = "http://127.0.0.1:" + api.port();
            // no worker yet: this request is queued and waits for a result
            long sentAt = System.nanoTime();
            CompletableFuture<Http.Answer> waiting = CompletableFuture.supplyAsync(
                    () -> Http.postBytes(TestStack.tagsUrl(api), png, "image/png"));
            TestStack.awaitTrue("the request waits for its result", Duration.ofSeconds(10),
                    () -> Http.metric(TestStack.metricsUrl(api), "tagger_api_waiting", null) == 1.0);

            redis.stop();

            Http.Answer answered = waiting.get();
            long waitedMs = (System.nanoTime() - sentAt) / 1_000_000;
            assertEquals(503, answered.status(), answered.raw().body());
            assertEquals("unavailable", answered.body().path("error").path("code").asText());
            assertTrue(answered.body().path("error").path("message").asText().contains("result store stopped answering"),
                    answered.raw().body());
            assertEquals("1", answered.header("Retry-After"));
            assertTrue(waitedMs < DEADLINE_MS / 2, "answered after " + waitedMs + " ms, deadline " + DEADLINE_MS + " ms");

            TestStack.awaitTrue("readiness reports the store down", Duration.ofSeconds(10),
                    () -> Http.get(base + "/readyz").status() == 503);
            long start = System.nanoTime();
            Http.Answer refused = Http.postBytes(TestStack.tagsUrl(api), png, "image/png");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, refused.status(), refused.raw().body());
            assertEquals("unavailable", refused.body().path("error").path("code").asText());
            assertEquals("the result store is not reachable right now; retry after 1 s",
                    refused.body().path("error").path("message").asText());
            assertEquals("1", refused.header("Retry-After"));
            assertTrue(tookMs < DEADLINE_MS / 10, "refused after " + tookMs + " ms");
            System.out.println("measured: Redis outage, waiting request answered 503 after " + waitedMs
                    + " ms (deadline " + DEADLINE_MS + " ms), new request refused in " + tookMs + " ms");

            // /v1/cluster reuses a snapshot for up to ClusterView.REUSE_MS (1 s): one taken before the
            // outage may still be served, so wait for the first one taken during it; every answer is a 200
            TestStack.awaitTrue("/v1/cluster reports presence unknown", Duration.ofSeconds(10), () -> {
                Http.Answer cluster = Http.get(base + "/v1/cluster");
                assertEquals(200, cluster.status(), cluster.raw().body());
                return cluster.body().path("presenceError").textValue() != null;
            });
            assertEquals(200, Http.get(base + "/dashboard").status());

            assertEquals(2.0, Http.metric(TestStack.metricsUrl(api), "tagger_api_responses_total",
                    "route=\"tags\",status=\"503\""));
            assertEquals(2.0, Http.metric(TestStack.metricsUrl(api), "tagger_api_images_total",
                    "outcome=\"unavailable\""));

            redis.start(); // empty: restarted without data
            try (Worker worker = TestStack.worker(ns, model, Map.of("TAGGER_REDIS_URI", redis.uri().toString()))) {
                TestStack.awaitReady(base + "/readyz");
                Http.Answer ok = Http.postBytes(TestStack.tagsUrl(api), png, "image/png");
                assertEquals(200, ok.status(), ok.raw().body());
                assertEquals("blue", ok.body().path("tags").get(0).path("label").asText());
            }
        }
    }

    @Test
    void aWorkerAnnouncesItselfAgainWhenTheStoreComesBackWithoutData(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (RedisProcess redis = RedisProcess.start(false);
                TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_REDIS_URI", redis.uri().toString()));
                Worker worker = TestStack.worker(ns, model, Map.of("TAGGER_REDIS_URI", redis.uri().toString()))) {
            String cluster = "http://127.0.0.1:" + api.port() + "/v1/cluster";
            TestStack.awaitTrue("the worker is listed", Duration.ofSeconds(10),
                    () -> Http.get(cluster).body().path("workersOnline").asInt() == 1);

            redis.stop();
            TestStack.awaitTrue("the view says presence is unknown", Duration.ofSeconds(10),
                    () -> Http.get(cluster).body().path("presenceError").isTextual());
            redis.start(); // without data: every announcement is gone

            TestStack.awaitTrue("the worker is listed again", Duration.ofSeconds(10),
                    () -> Http.get(cluster).body().path("workersOnline").asInt() == 1);
        }
    }
}
