package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.launcher.bulk.BatchClient;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * A 10 000-item batch end to end (real RabbitMQ, Redis, local origin, two in-process workers with the
 * demo model): every item gets exactly one outcome, failures carry the right codes.
 */
class BulkBatchIT {
    static final int ITEMS = 10_000;

    @Test
    void tenThousandUrlsWithBrokenAndSlowOnesGetExactlyOneOutcomeEach(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        Map<String, String> workerEnv = Map.of("TAGGER_MAX_BATCH", "32", "TAGGER_PREFETCH", "64",
                "TAGGER_PREPROCESS_THREADS", "1", "TAGGER_INTRA_OP_THREADS", "1");
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                Worker w1 = TestStack.worker(ns, model, workerEnv);
                Worker w2 = TestStack.worker(ns, model, workerEnv);
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_BULK_DOWNLOADS", "32", "TAGGER_BULK_PER_HOST", "32",
                        "TAGGER_BULK_RETRY_BASE_MS", "20", "TAGGER_BULK_RETRY_MAX_MS", "100",
                        "TAGGER_BULK_BACKLOG_PER_WORKER", "128"))) {
            List<String> images = BulkFixture.tinyImages(origin);
            origin.put("/notes.txt", "not an image\n".getBytes(), "text/plain");
            Map<String, String> items = new LinkedHashMap<>();
            for (int i = 0; i < ITEMS; i++) {
                String path;
                if (i % 100 == 7) {
                    path = "/missing-" + i + ".png";              // 1 %: 404
                } else if (i % 100 == 42) {
                    path = "/notes.txt";                          // 1 %: not an image
                } else if (i % 200 == 99) {
                    path = "/slow/300" + images.get(i % images.size()); // 0.5 %: a slow origin
                } else {
                    path = images.get(i % images.size());
                }
                items.put("item-" + i, origin.url(path));
            }
            BatchClient client = new BatchClient("http://127.0.0.1:" + api.port());
            long start = System.nanoTime();

            BatchClient.Answer submitted = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null, "topK=2");
            assertEquals(202, submitted.status(), submitted.raw().body());
            assertEquals(ITEMS, submitted.body().path("accepted").asInt());
            assertEquals(0, submitted.body().path("rejectedCount").asInt());
            String batchId = submitted.body().path("batchId").asText();
            double submitSeconds = (System.nanoTime() - start) / 1e9;

            JsonNode status = BulkFixture.awaitComplete(client, batchId, 180_000);
            double totalSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, JsonNode> outcomes = BulkFixture.allOutcomes(client, batchId, 1_000);

            assertEquals(ITEMS, outcomes.size(), "one outcome per item");
            assertEquals(items.keySet(), outcomes.keySet());
            int notFound = 0;
            int notImage = 0;
            int tagged = 0;
            for (Map.Entry<String, JsonNode> e : outcomes.entrySet()) {
                JsonNode o = e.getValue();
                int i = Integer.parseInt(e.getKey().substring("item-".length()));
                assertEquals(items.get(e.getKey()), o.path("url").asText());
                if (i % 100 == 7) {
                    assertEquals("origin_status", o.path("error").path("code").asText(), o.toString());
                    assertEquals("origin answered HTTP 404 Not Found", o.path("error").path("message").asText());
                    notFound++;
                } else if (i % 100 == 42) {
                    assertEquals("not_an_image", o.path("error").path("code").asText(), o.toString());
                    notImage++;
                } else {
                    assertTrue(o.path("tags").isArray() && o.path("tags").size() >= 1, o.toString());
                    assertTrue(o.path("tags").size() <= 2, "topK=2 reached the worker: " + o);
                    assertEquals("demo-colors", o.path("model").path("name").asText());
                    tagged++;
                }
            }
            assertEquals(100, notFound);
            assertEquals(100, notImage);
            assertEquals(ITEMS - 200, tagged);
            assertEquals("finished", status.path("status").asText());
            assertEquals(ITEMS - 200, status.path("done").asInt());
            assertEquals(200, status.path("failed").asInt());
            assertEquals(0, status.path("pending").asInt());
            System.out.printf("bulk %d items: submitted in %.1f s, complete after %.1f s (%.0f items/s)%n", ITEMS,
                    submitSeconds, totalSeconds, ITEMS / totalSeconds);
        }
    }
}
