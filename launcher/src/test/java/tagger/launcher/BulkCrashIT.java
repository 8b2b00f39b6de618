package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.launcher.bulk.BatchClient;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.transport.redis.RedisBatchStore;
import tagger.worker.Worker;

/** An api-server killed (SIGKILL) in the middle of a batch loses nothing and duplicates nothing. */
class BulkCrashIT {
    static final int ITEMS = 1_500;
    /** Items the doomed server may finish; the origin holds the rest until it is dead. */
    static final int BEFORE_KILL = 100;

    @Test
    void aBatchSurvivesItsApiServerBeingKilledWithEveryItemAnsweredOnce(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                Worker worker = TestStack.worker(ns, model, Map.of("TAGGER_MAX_BATCH", "16"))) {
            int port = LocalStack.freePort();
            Map<String, String> env = TestStack.env(ns, Map.of("TAGGER_HTTP_HOST", "127.0.0.1",
                    "TAGGER_HTTP_PORT", Integer.toString(port), "TAGGER_ALLOW_PRIVATE_NETWORKS", "true",
                    "TAGGER_BULK_DOWNLOADS", "16", "TAGGER_BULK_PER_HOST", "16"));
            ChildProcess doomed = ChildProcess.start("doomed-api", "tagger.api.ApiServerMain", env,
                    tmp.resolve("logs"), "http://127.0.0.1:" + port + "/readyz");
            doomed.awaitReady(Duration.ofSeconds(60));
            Map<String, String> items = new LinkedHashMap<>();
            for (int i = 0; i < ITEMS; i++) {
                String path = "/p-" + i + ".png";
                origin.put(path, SampleImages.png(SampleImages.solid(16, 16, new Color(i % 256, 0, 0))), "image/png");
                items.put("p-" + i, origin.url(i < BEFORE_KILL ? path : "/held" + path));
            }
            BatchClient viaDoomed = new BatchClient("http://127.0.0.1:" + port);
            BatchClient.Answer submitted = viaDoomed.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, "crash-1",
                    null);
            assertEquals(202, submitted.status(), submitted.raw().body());
            String batchId = submitted.body().path("batchId").asText();
            TestStack.awaitTrue("the doomed server finished the first " + BEFORE_KILL + " items", Duration.ofSeconds(60),
                    () -> done(viaDoomed, batchId) >= BEFORE_KILL);

            doomed.kill();
            origin.release();
            int doneAtKill;
            try (RedisBatchStore store = new RedisBatchStore(ns.redisUri(), ns.names())) {
                doneAtKill = (int) store.batch(batchId).orElseThrow().done();
            }
            assertTrue(doneAtKill < ITEMS, "killed mid-batch: " + doneAtKill + " done");

            try (ApiServer survivor = TestStack.api(ns, Map.of())) {
                BatchClient client = new BatchClient("http://127.0.0.1:" + survivor.port());
                // the client resubmits (its answer may have been lost with the dead server): nothing is redone
                BatchClient.Answer again = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, "crash-1", null);
                assertEquals(batchId, again.body().path("batchId").asText());
                JsonNode status = BulkFixture.awaitComplete(client, batchId, 120_000);
                Map<String, JsonNode> outcomes = BulkFixture.allOutcomes(client, batchId, 1_000);

                assertEquals(ITEMS, outcomes.size(), "every item answered, none twice");
                assertEquals(items.keySet(), outcomes.keySet());
                assertEquals(ITEMS, status.path("done").asInt(), status.toString());
                assertTrue(Http.metric(TestStack.metricsUrl(survivor), "tagger_bulk_items_total",
                        "outcome=\"published\"") > 0, "the survivor took over items the dead server held");
                try (RedisBatchStore store = new RedisBatchStore(ns.redisUri(), ns.names())) {
                    assertEquals(ITEMS, store.results(batchId, null, 10 * ITEMS).entries().size(),
                            "the results log holds each item exactly once");
                }
            }
        }
    }

    private static int done(BatchClient client, String batchId) {
        try {
            return client.status(batchId).body().path("done").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
