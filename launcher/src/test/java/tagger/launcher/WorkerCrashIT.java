package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.common.TrafficClass;
import tagger.common.TagResult;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.transport.redis.RedisResultStore;
import tagger.worker.Worker;

/** A worker killed (SIGKILL) in the middle of its work loses nothing and duplicates nothing. */
class WorkerCrashIT {
    private static final int REQUESTS = 40;

    @Test
    void aWorkerKilledMidBatchStillYieldsExactlyOneAnswerPerRequest(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        // big photos make decoding slow enough to kill the worker while it holds unacknowledged jobs
        byte[] photo = SampleImages.jpeg(SampleImages.photoLike(4000, 3000, 11), 0.9f);
        ExecutorService callers = Executors.newFixedThreadPool(REQUESTS);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                // the same photo many times: without the result cache every request reaches a worker
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_TIMEOUT_MS", "90000", "TAGGER_MAX_TIMEOUT_MS", "90000",
                        "TAGGER_CACHE", "false"))) {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String url = origin.put("/photo-" + i + ".jpg", photo, "image/jpeg");
                answers.add(callers.submit(() -> Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"" + url + "\"}")));
            }
            // every job is queued before the doomed worker starts: with a prefetch of all of them it holds each one
            // it has not finished, so whatever it leaves undone can reach the survivor only as a redelivery
            String queue = ns.names().queue(TrafficClass.REALTIME);
            TestStack.awaitTrue("all " + REQUESTS + " jobs are queued", Duration.ofSeconds(120),
                    () -> ns.messageCount(queue) == REQUESTS);
            int admin = LocalStack.freePort();
            Map<String, String> env = TestStack.env(ns, Map.of("TAGGER_MODEL_DIR", model.toString(),
                    "TAGGER_ADMIN_HOST", "127.0.0.1", "TAGGER_ADMIN_PORT", Integer.toString(admin),
                    "TAGGER_DEVICE", "cpu", "TAGGER_PREPROCESS_THREADS", "1", "TAGGER_MAX_BATCH", "4",
                    "TAGGER_PREFETCH", Integer.toString(REQUESTS)));
            ChildProcess doomed = ChildProcess.start("doomed-worker", "tagger.worker.WorkerMain", env,
                    tmp.resolve("logs"), "http://127.0.0.1:" + admin + "/readyz");
            doomed.awaitReady(Duration.ofSeconds(60));

            // kill it once it has answered a few: it decodes one big photo at a time, so most are still in its hands
            String apiMetrics = TestStack.metricsUrl(api);
            TestStack.awaitTrue("the doomed worker answered two requests", Duration.ofSeconds(120),
                    () -> Http.metric(apiMetrics, "tagger_api_results_total", "via=\"notification\"") >= 2);
            doomed.kill();
            double answeredBeforeKill = Http.metric(apiMetrics, "tagger_api_results_total", null);
            assertTrue(answeredBeforeKill < REQUESTS, "the worker was killed before finishing: " + answeredBeforeKill);

            try (Worker survivor = TestStack.worker(ns, model, Map.of())) {
                Set<String> ids = new HashSet<>();
                Map<String, JsonNode> byId = new java.util.HashMap<>();
                for (Future<Http.Answer> f : answers) {
                    Http.Answer a = f.get();
                    assertEquals(200, a.status(), a.raw().body());
                    assertFalse(a.body().path("tags").isEmpty(), a.raw().body());
                    String id = a.body().path("requestId").asText();
                    assertTrue(ids.add(id), "one answer per request id: " + id);
                    byId.put(id, a.body());
                }
                assertEquals(REQUESTS, ids.size());
                String survivorMetrics = TestStack.metricsUrl(survivor);
                // a job the dead worker answered but never acknowledged comes back too: the survivor ends it
                // as a duplicate (first writer wins), so count every outcome, once the survivor is done
                TestStack.awaitTrue("the survivor settled every redelivered job", Duration.ofSeconds(60),
                        () -> Http.metric(survivorMetrics, "tagger_worker_images_total", null)
                                == Http.metric(survivorMetrics, "tagger_worker_redelivered_total", null));
                double tookOver = Http.metric(survivorMetrics, "tagger_worker_images_total", "outcome=\"ok\"");
                double handled = Http.metric(survivorMetrics, "tagger_worker_images_total", null);
                double redelivered = Http.metric(survivorMetrics, "tagger_worker_redelivered_total", null);
                assertTrue(tookOver >= 1, "the survivor took over jobs the dead worker held");
                assertEquals(handled, redelivered, "every job the survivor handled was a redelivery of one the dead "
                        + "worker held unacknowledged");
                // the stored answer is the one the caller got (first writer wins, even across workers)
                try (RedisResultStore store = new RedisResultStore(ns.redisUri(), ns.names())) {
                    Map<String, TagResult> stored = store.fetch(ids);
                    assertEquals(REQUESTS, stored.size());
                    stored.forEach((id, r) -> assertEquals(byId.get(id).path("tags").get(0).path("label").asText(),
                            r.tags().get(0).label()));
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
