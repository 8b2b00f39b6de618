package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/** Deadlines travel with the job: the caller gets 504, and a worker skips the stale job before decoding. */
class DeadlineIT {
    /** The server's default deadline, far longer than the request's own 300 ms. */
    private static final int SERVER_DEFAULT_MS = 60_000;

    @Test
    void anExpiredDeadlineGives504AndTheWorkerSkipsInference(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_TIMEOUT_MS", Integer.toString(SERVER_DEFAULT_MS)))) {
            // no worker is running: the job waits in the queue past its 300 ms deadline
            byte[] png = SampleImages.png(SampleImages.solid(100, 100, Color.RED));
            long start = System.nanoTime();
            Http.Answer a = Http.postBytes(TestStack.tagsUrl(api) + "?timeoutMs=300", png, "image/png");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(504, a.status(), a.raw().body());
            assertEquals("deadline_exceeded", a.body().path("error").path("code").asText());
            assertTrue(tookMs < SERVER_DEFAULT_MS / 2, "the request's own 300 ms deadline fired, not the server's "
                    + SERVER_DEFAULT_MS + " ms default: answered in " + tookMs + " ms");

            try (Worker worker = TestStack.worker(ns, model, Map.of())) {
                String metrics = TestStack.metricsUrl(worker);
                long until = System.currentTimeMillis() + 10_000;
                while (Http.metric(metrics, "tagger_worker_expired_total", "stage=\"intake\"") < 1
                        && System.currentTimeMillis() < until) {
                    Thread.sleep(50);
                }
                assertEquals(1.0, Http.metric(metrics, "tagger_worker_expired_total", "stage=\"intake\""));
                assertEquals(0.0, Http.metric(metrics, "tagger_worker_batch_size_count", null),
                        "no inference ran for the expired job");
                assertEquals(0.0, Http.metric(metrics, "tagger_worker_preprocess_seconds_count", null),
                        "it was not even decoded");
                // it was settled, not left for redelivery
                assertEquals(0, ns.messageCount(ns.names().queue(tagger.common.TrafficClass.REALTIME)));
            }
        }
    }
}
