package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import tagger.api.ApiServer;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Sha256;
import tagger.launcher.bulk.BatchClient;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * The result cache through the real stack (RabbitMQ, Redis, in-process api-server and demo-model
 * workers): repeated bytes are answered without publishing, per model version, unless the caller
 * opts out; bulk items hit it and still get exactly one outcome each; entries expire with their TTL.
 */
class ResultCacheIT {
    private static final ModelRef V1 = new ModelRef(DemoModel.NAME, DemoModel.VERSION);
    private static final ModelRef V2 = new ModelRef(DemoModel.NAME, "2");
    private static final byte[] RED = SampleImages.jpeg(SampleImages.solid(64, 48, new Color(215, 25, 30)));
    private static final byte[] BLUE = SampleImages.png(SampleImages.solid(40, 30, new Color(20, 40, 220)));

    @TempDir
    Path tmp;

    private Path model(String version) throws Exception {
        Path dir = tmp.resolve("demo-" + version);
        DemoModel.write(dir);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(dir.resolve("model.json").toFile());
        json.put("version", version);
        Files.writeString(dir.resolve("model.json"), Json.MAPPER.writeValueAsString(json));
        return dir;
    }

    private static void awaitServing(ApiServer api, ModelRef... models) {
        TestStack.awaitTrue("the api-server looks up under " + List.of(models), Duration.ofSeconds(20),
                () -> api.cache().servedModels().equals(List.of(models)));
    }

    private static double tagged(Worker worker) {
        return Http.metric(TestStack.metricsUrl(worker), "tagger_worker_images_total", "outcome=\"ok\"");
    }

    private static Http.Answer upload(ApiServer api, byte[] image, String query) {
        return Http.postBytes(TestStack.tagsUrl(api) + query, image, "image/jpeg");
    }

    @Test
    void theSameBytesTwiceAreAnsweredFromTheCacheWithoutPublishingUnlessTheCallerOptsOut() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                Worker worker = TestStack.worker(ns, model(V1.version()), Map.of());
                ApiServer api = TestStack.api(ns, Map.of())) {
            awaitServing(api, V1);

            Http.Answer first = upload(api, RED, "?topK=2");
            assertEquals(200, first.status(), first.raw().body());
            assertEquals("miss", first.body().path("timings").path("cache").asText(), first.raw().body());
            assertTrue(first.header("Server-Timing").endsWith("cache;desc=miss"), first.header("Server-Timing"));
            assertEquals(1, tagged(worker));

            Http.Answer second = upload(api, RED, "?topK=1");
            assertEquals(200, second.status(), second.raw().body());
            JsonNode hit = second.body();
            assertEquals("hit", hit.path("timings").path("cache").asText(), second.raw().body());
            assertTrue(second.header("Server-Timing").endsWith("cache;desc=hit"), second.header("Server-Timing"));
            assertEquals(first.body().path("tags").get(0), hit.path("tags").get(0), "the same top tag");
            assertEquals(1, hit.path("tags").size(), "cut to this request's topK");
            assertFalse(hit.path("requestId").asText().equals(first.body().path("requestId").asText()),
                    "a hit answers with its own request id");
            assertEquals(V1.version(), hit.path("model").path("version").asText());
            for (String stage : List.of("download", "queue", "preprocess", "inference", "total", "batchSize")) {
                assertTrue(hit.path("timings").has(stage), "timings has " + stage + ": " + hit);
            }
            assertEquals(1, tagged(worker), "the worker never saw the second request");
            assertEquals(1, Http.metric(TestStack.metricsUrl(api), "tagger_api_cache_lookups_total",
                    "outcome=\"hit\""));

            Http.Answer optedOut = upload(api, RED, "?topK=1&cache=false");
            assertEquals(200, optedOut.status(), optedOut.raw().body());
            assertFalse(optedOut.body().path("timings").has("cache"), optedOut.raw().body());
            assertEquals(2, tagged(worker), "an opted-out request is tagged by the worker");

            Http.Answer json = Http.postJson(TestStack.tagsUrl(api),
                    "{\"urls\": [\"http://127.0.0.1:1/none.jpg\"], \"cache\": false}");
            assertEquals(200, json.status(), "\"cache\" is a known field: " + json.raw().body());
        }
    }

    @Test
    void anEntryOfAnotherModelVersionIsAMissAndTheNewVersionFillsItsOwn() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.api(ns, Map.of())) {
            try (Worker v1 = TestStack.worker(ns, model(V1.version()), Map.of())) {
                awaitServing(api, V1);
                upload(api, RED, "");
                assertEquals("hit", upload(api, RED, "").body().path("timings").path("cache").asText());
            }
            try (Worker v2 = TestStack.worker(ns, model(V2.version()), Map.of())) {
                awaitServing(api, V2);
                Http.Answer miss = upload(api, RED, "");
                assertEquals("miss", miss.body().path("timings").path("cache").asText(), miss.raw().body());
                assertEquals("2", miss.body().path("model").path("version").asText());
                assertEquals(1, tagged(v2));
                Http.Answer hit = upload(api, RED, "");
                assertEquals("hit", hit.body().path("timings").path("cache").asText(), hit.raw().body());
                assertEquals("2", hit.body().path("model").path("version").asText());
                assertEquals(1, tagged(v2));
            }
        }
    }

    @Test
    void anEntryExpiresAfterTheWorkersCacheTtl() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                Worker worker = TestStack.worker(ns, model(V1.version()), Map.of("TAGGER_CACHE_TTL_MS", "1500"));
                ApiServer api = TestStack.api(ns, Map.of());
                RedisClient redis = RedisClient.create(ns.redisUri())) {
            awaitServing(api, V1);
            upload(api, BLUE, "");
            String key = ns.names().cacheKey(Sha256.hex(BLUE), V1);
            long ttl = redis.pttl(key);
            assertTrue(ttl > 0 && ttl <= 1500, "TTL of " + key + " is " + ttl + " ms");
            assertEquals("hit", upload(api, BLUE, "").body().path("timings").path("cache").asText());

            TestStack.awaitTrue("the entry expired", Duration.ofSeconds(10), () -> !redis.exists(key));
            assertEquals("miss", upload(api, BLUE, "").body().path("timings").path("cache").asText());
            assertEquals(2, tagged(worker));
        }
    }

    @Test
    void bulkItemsWithCachedBytesCompleteWithoutTheBrokerAndEachGetsExactlyOneOutcome() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                Worker worker = TestStack.worker(ns, model(V1.version()), Map.of());
                ApiServer api = TestStack.api(ns, Map.of())) {
            awaitServing(api, V1);
            List<String> images = BulkFixture.tinyImages(origin);
            BatchClient client = new BatchClient("http://127.0.0.1:" + api.port());

            // the first batch tags each distinct image once (duplicates inside it may or may not hit)
            Map<String, String> first = new LinkedHashMap<>();
            for (int i = 0; i < images.size(); i++) {
                first.put("a-" + i, origin.url(images.get(i)));
            }
            JsonNode firstDone = submitAndAwait(client, first);
            assertEquals(images.size(), firstDone.path("done").asInt(), firstDone.toString());
            double taggedByWorker = tagged(worker);

            // the second: the same bytes under other URLs, each several times
            Map<String, String> second = new LinkedHashMap<>();
            for (int i = 0; i < 40; i++) {
                String path = images.get(i % images.size());
                second.put("b-" + i, origin.url(path + "?copy=" + i));
            }
            double hitsBefore = bulkHits(api);
            JsonNode status = submitAndAwait(client, second);
            String batchId = status.path("batchId").asText();
            Map<String, JsonNode> outcomes = BulkFixture.allOutcomes(client, batchId, 7);

            assertEquals(second.keySet(), outcomes.keySet(), "one outcome per item, none twice");
            for (JsonNode o : outcomes.values()) {
                assertTrue(o.path("tags").size() > 0, o.toString());
                assertEquals(V1.version(), o.path("model").path("version").asText(), o.toString());
            }
            assertEquals(40, status.path("done").asInt(), status.toString());
            assertEquals(40, bulkHits(api) - hitsBefore, "every item of the second batch hit");
            assertEquals(taggedByWorker, tagged(worker), "no item of the second batch reached a worker");
            assertEquals(40, Http.metric(TestStack.metricsUrl(api), "tagger_bulk_items_total", "outcome=\"cached\""));
        }
    }

    private static double bulkHits(ApiServer api) {
        return Http.metric(TestStack.metricsUrl(api), "tagger_api_cache_lookups_total",
                "class=\"bulk\",outcome=\"hit\"");
    }

    private static JsonNode submitAndAwait(BatchClient client, Map<String, String> items) throws Exception {
        BatchClient.Answer submitted = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null, "topK=2");
        assertEquals(202, submitted.status(), submitted.raw().body());
        return BulkFixture.awaitComplete(client, submitted.body().path("batchId").asText(), 60_000);
    }
}
