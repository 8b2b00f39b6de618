package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.transport.ResultStore;
import tagger.transport.rabbit.RabbitJobSource;
import tagger.transport.rabbit.RabbitTopology;
import tagger.transport.redis.RedisResultStore;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;

/** Pub/sub is at-most-once: a lost notification must be recovered from the stored result. */
class ResultRecoveryIT {
    /** The request's deadline, far beyond the 300 ms sweep that must recover the result. */
    private static final int DEADLINE_MS = 60_000;

    @Test
    void aLostNotificationIsRecoveredFromTheStoredResult(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_SWEEP_AFTER_MS", "300",
                        "TAGGER_TIMEOUT_MS", Integer.toString(DEADLINE_MS)));
                Worker worker = lossyWorker(ns, model)) {
            byte[] png = SampleImages.png(SampleImages.solid(100, 100, new Color(30, 60, 220)));
            long start = System.nanoTime();
            Http.Answer a = Http.postBytes(TestStack.tagsUrl(api), png, "image/png");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, a.status(), a.raw().body());
            assertEquals("blue", a.body().path("tags").get(0).path("label").asText());
            // recovered by the sweep, not by whatever happens when the deadline fires
            assertTrue(tookMs < DEADLINE_MS / 2, "recovered long before the " + DEADLINE_MS + " ms deadline: took "
                    + tookMs + " ms");
            assertEquals(1.0, Http.metric(TestStack.metricsUrl(api), "tagger_api_results_total", "via=\"read_back\""));
            assertEquals(0.0, Http.metric(TestStack.metricsUrl(api), "tagger_api_results_total",
                    "via=\"notification\""));
        }
    }

    /** A real worker whose notifications go to a channel nobody listens on: the result is stored, the news is lost. */
    private static Worker lossyWorker(TestNamespace ns, Path model) {
        WorkerConfig config = TestStack.workerConfig(ns, model, Map.of());
        RedisResultStore redis = new RedisResultStore(config.redisUri(), config.names());
        ResultStore lossy = new ResultStore() {
            @Override
            public int complete(List<Completion> completions) {
                return redis.complete(completions.stream()
                        .map(c -> new Completion(c.result(), "nobody-listens-here")).toList());
            }

            @Override
            public boolean isReady() {
                return redis.isReady();
            }

            @Override
            public void close() {
                redis.close();
            }
        };
        RabbitJobSource source = new RabbitJobSource(config.rabbitUri(), RabbitTopology.defaults(config.names()));
        Worker worker = Worker.start(config, source, lossy, Worker.newRegistry());
        TestStack.awaitReady("http://127.0.0.1:" + worker.adminPort() + "/readyz");
        return worker;
    }
}
