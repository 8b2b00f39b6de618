package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.common.Json;
import tagger.launcher.bulk.BatchClient;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * The batch API's promises with real RabbitMQ, Redis, a local origin and a worker: idempotent
 * resubmission, cancellation that stops the work, a resumable results stream, the per-host cap,
 * retries honouring Retry-After, the callback, and per-item validation.
 */
class BulkControlIT {
    static final int PER_HOST = 4;
    @TempDir
    static Path tmp;
    static TestNamespace ns;
    static Worker worker;
    static ApiServer api;
    static BatchClient client;

    @BeforeAll
    static void start() throws Exception {
        ns = TestNamespace.random();
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        worker = TestStack.worker(ns, model, Map.of("TAGGER_MAX_BATCH", "8"));
        api = TestStack.api(ns, Map.of("TAGGER_BULK_DOWNLOADS", "8", "TAGGER_BULK_PER_HOST", Integer.toString(PER_HOST),
                "TAGGER_BULK_RETRY_BASE_MS", "20", "TAGGER_BULK_RETRY_MAX_MS", "2000", "TAGGER_BULK_ATTEMPTS", "3",
                "TAGGER_BULK_CALLBACK_RETRY_MS", "100"));
        client = new BatchClient("http://127.0.0.1:" + api.port());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {api, worker, ns}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    /** Items {@code prefix-0..n-1}, each on its own path of the origin (so hits count per item). */
    private static Map<String, String> items(ImageOrigin origin, String prefix, int n, String pathPrefix) {
        Map<String, String> items = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String path = "/" + prefix + "-" + i + ".png";
            origin.put(path, SampleImages.png(SampleImages.solid(16, 16, new Color(i * 37 % 256, i * 91 % 256,
                    i * 13 % 256))), "image/png");
            items.put(prefix + "-" + i, origin.url(pathPrefix + path));
        }
        return items;
    }

    private static String submit(Map<String, String> items, String key, String query) throws Exception {
        BatchClient.Answer a = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, key, query);
        assertEquals(202, a.status(), a.raw().body());
        return a.body().path("batchId").asText();
    }

    private static double apiMetric(String name, String filter) {
        return Http.metric(TestStack.metricsUrl(api), name, filter);
    }

    private static double workerMetric(String name, String filter) {
        return Http.metric(TestStack.metricsUrl(worker), name, filter);
    }

    @Test
    void resubmittingUnderTheSameIdempotencyKeyReturnsTheSameBatchAndTagsNothingTwice() throws Exception {
        try (ImageOrigin origin = ImageOrigin.start()) {
            Map<String, String> items = items(origin, "idem", 30, "");
            BatchClient.Answer first = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, "key-idem-1", null);
            BatchClient.Answer again = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, "key-idem-1", null);

            assertEquals(202, first.status(), first.raw().body());
            assertEquals(202, again.status(), again.raw().body());
            String batchId = first.body().path("batchId").asText();
            assertEquals(batchId, again.body().path("batchId").asText());
            assertTrue(first.body().path("created").asBoolean());
            assertFalse(again.body().path("created").asBoolean());
            assertEquals(30, again.body().path("accepted").asInt());
            BulkFixture.awaitComplete(client, batchId, 60_000);
            assertEquals(30, BulkFixture.allOutcomes(client, batchId, 100).size());
            for (int i = 0; i < 30; i++) {
                assertEquals(1, origin.hits("/idem-" + i + ".png"), "item " + i + " was downloaded once");
            }

            Map<String, String> other = new LinkedHashMap<>(items);
            other.put("extra", items.get("idem-0"));
            BatchClient.Answer mismatch = client.submit(BulkFixture.ndjson(other), BulkFixture.NDJSON, "key-idem-1", null);
            assertEquals(422, mismatch.status());
            assertEquals("idempotency_mismatch", mismatch.body().path("error").path("code").asText());

            BatchClient.Answer byId = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null,
                    "batchId=" + "client-chosen-1");
            BatchClient.Answer byIdAgain = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null,
                    "batchId=" + "client-chosen-1");
            assertEquals("client-chosen-1", byId.body().path("batchId").asText());
            assertTrue(byId.body().path("created").asBoolean());
            assertFalse(byIdAgain.body().path("created").asBoolean(), "a client batch id is an idempotency key too");
        }
    }

    @Test
    void aCancelledBatchStopsDownloadingAndTaggingItsRemainingItems() throws Exception {
        try (ImageOrigin origin = ImageOrigin.start()) {
            int n = 200;
            Map<String, String> items = items(origin, "cancel", n, "/slow/200");
            double apiCancelledBefore = apiMetric("tagger_bulk_items_total", "outcome=\"cancelled\"");
            double workerCancelledBefore = workerMetric("tagger_worker_images_total", "outcome=\"cancelled\"");
            double workerOkBefore = workerMetric("tagger_worker_images_total", "outcome=\"ok\"");
            double inferredBefore = workerMetric("tagger_worker_batch_size_sum", null);
            String batchId = submit(items, null, null);
            long until = System.currentTimeMillis() + 30_000;
            while (client.status(batchId).body().path("done").asInt() < 10 && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }

            BatchClient.Answer cancelled = client.cancel(batchId);
            int hitsAtCancel = origin.totalHits();

            assertEquals(200, cancelled.status(), cancelled.raw().body());
            assertEquals("cancelled", cancelled.body().path("status").asText());
            JsonNode status = BulkFixture.awaitComplete(client, batchId, 60_000);
            assertEquals("cancelled", status.path("status").asText());
            long done = status.path("done").asLong();
            long cancelledItems = status.path("cancelled").asLong();
            assertEquals(n, done + status.path("failed").asLong() + cancelledItems);
            assertTrue(cancelledItems > n / 2, "most items were never tagged: " + status);
            assertTrue(origin.totalHits() - hitsAtCancel <= 2 * PER_HOST,
                    "only downloads already running finished: " + hitsAtCancel + " -> " + origin.totalHits());
            Map<String, JsonNode> outcomes = BulkFixture.allOutcomes(client, batchId, 1_000);
            assertEquals(n, outcomes.size());
            assertEquals(cancelledItems, outcomes.values().stream()
                    .filter(o -> o.path("error").path("code").asText().equals("cancelled")).count());
            // the metrics account for every cancelled item at the stage that skipped it, and no inference
            double apiCancelled = apiMetric("tagger_bulk_items_total", "outcome=\"cancelled\"") - apiCancelledBefore;
            double workerCancelled = workerMetric("tagger_worker_images_total", "outcome=\"cancelled\"")
                    - workerCancelledBefore;
            assertEquals(cancelledItems, apiCancelled + workerCancelled, 0.0);
            assertEquals(done, workerMetric("tagger_worker_images_total", "outcome=\"ok\"") - workerOkBefore, 0.0);
            assertEquals(done, workerMetric("tagger_worker_batch_size_sum", null) - inferredBefore, 0.0,
                    "inference ran for the tagged items only");
            assertEquals(409, client.cancel(submitAndFinish(origin)).status(), "a finished batch cannot be cancelled");
        }
    }

    private static String submitAndFinish(ImageOrigin origin) throws Exception {
        String id = submit(items(origin, "fin", 2, ""), null, null);
        BulkFixture.awaitComplete(client, id, 30_000);
        return id;
    }

    @Test
    void theResultsStreamResumesFromACursorWithEachItemOnce() throws Exception {
        try (ImageOrigin origin = ImageOrigin.start()) {
            String batchId = submit(items(origin, "cursor", 25, ""), null, null);
            BulkFixture.awaitComplete(client, batchId, 60_000);

            List<String> ids = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            BatchClient.Page page;
            do {
                page = client.results(batchId, cursor, 10);
                for (String line : page.lines()) {
                    ids.add(Json.MAPPER.readTree(line).path("id").asText());
                }
                assertNotEquals(cursor, page.next(), "a page with lines moves the cursor");
                cursor = page.next();
                pages++;
            } while (!page.complete());

            assertEquals(3, pages, "10 + 10 + 5");
            assertEquals(25, ids.size());
            assertEquals(25, ids.stream().distinct().count());
            BatchClient.Page after = client.results(batchId, cursor, 10);
            assertTrue(after.lines().isEmpty());
            assertEquals(cursor, after.next(), "reading past the end keeps the cursor");
            assertTrue(after.complete());
            assertEquals("finished", after.status());

            Http.Answer bad = Http.get(TestStack.tagsUrl(api).replace("/v1/tags", "/v1/batches/" + batchId
                    + "/results?cursor=abc"));
            assertEquals(400, bad.status());
            assertEquals("cursor must look like 1700000000000-0 (the Tagger-Next-Cursor of an earlier page), got 'abc'",
                    bad.body().path("error").path("message").asText());
            assertEquals(404, Http.get(TestStack.tagsUrl(api).replace("/v1/tags", "/v1/batches/nope/results")).status());
        }
    }

    @Test
    void theOriginNeverSeesMoreThanThePerHostCap() throws Exception {
        try (ImageOrigin origin = ImageOrigin.start()) {
            String batchId = submit(items(origin, "cap", 40, "/slow/50"), null, null);
            BulkFixture.awaitComplete(client, batchId, 60_000);

            assertTrue(origin.maxConcurrent() <= PER_HOST, "at most " + PER_HOST + " at once, saw "
                    + origin.maxConcurrent());
            assertTrue(origin.maxConcurrent() >= 2, "the cap was reached, not just respected by a trickle: "
                    + origin.maxConcurrent());
        }
    }

    @Test
    void transientOriginErrorsAreRetriedHonouringRetryAfterAndEndAsTheOutcomeAfterTheLastAttempt() throws Exception {
        try (ImageOrigin origin = ImageOrigin.start()) {
            List<String> images = BulkFixture.tinyImages(origin);
            Map<String, String> items = new LinkedHashMap<>();
            items.put("flaky", origin.url("/flaky/2/1" + images.get(0)));   // 503 + Retry-After: 1, twice
            items.put("down", origin.url("/status/503"));
            items.put("gone", origin.url("/status/404"));
            String batchId = submit(items, null, null);
            BulkFixture.awaitComplete(client, batchId, 60_000);
            Map<String, JsonNode> outcomes = BulkFixture.allOutcomes(client, batchId, 10);

            assertTrue(outcomes.get("flaky").path("tags").isArray(), outcomes.get("flaky").toString());
            List<Long> flakyHits = origin.hitTimes("/flaky/2/1" + images.get(0));
            assertEquals(3, flakyHits.size());
            assertTrue(flakyHits.get(1) - flakyHits.get(0) >= 900, "waited for Retry-After: " + flakyHits);
            assertTrue(flakyHits.get(2) - flakyHits.get(1) >= 900, "waited for Retry-After: " + flakyHits);
            assertEquals("origin answered HTTP 503 Service Unavailable (after 3 attempts)",
                    outcomes.get("down").path("error").path("message").asText());
            assertEquals(3, origin.hits("/status/503"));
            assertEquals("origin_status", outcomes.get("gone").path("error").path("code").asText());
            assertEquals(1, origin.hits("/status/404"), "a 404 is final at once");
        }
    }

    @Test
    void aFinishedBatchPostsItsSummaryToItsCallbackUntilAccepted() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = received.size() == 1 ? 500 : 204; // the first delivery fails
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        try (ImageOrigin origin = ImageOrigin.start()) {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            String batchId = submit(items(origin, "hook", 5, ""), null, "callbackUrl=" + hook);
            BulkFixture.awaitComplete(client, batchId, 60_000);
            long until = System.currentTimeMillis() + 20_000;
            while (!"delivered".equals(client.status(batchId).body().path("callback").path("state").asText())
                    && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }
            Thread.sleep(1_000);

            assertEquals(2, received.size(), "one failed delivery, one accepted, nothing after: " + received);
            JsonNode summary = Json.MAPPER.readTree(received.get(1));
            assertEquals(batchId, summary.path("batchId").asText());
            assertEquals("finished", summary.path("status").asText());
            assertEquals(5, summary.path("done").asInt());
            assertEquals(5, summary.path("items").asInt());
            assertEquals("delivered", client.status(batchId).body().path("callback").path("state").asText());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void malformedItemsAreReportedAndTheRestAccepted() throws Exception {
        String body = "{\"id\": \"ok\", \"url\": \"http://127.0.0.1:9/x.png\"}\n"
                + "{\"id\": \"no-url\"}\n"
                + "not json\n"
                + "{\"id\": \"ftp\", \"url\": \"ftp://files.test/x.png\"}\n";
        BatchClient.Answer a = client.submit(body.getBytes(StandardCharsets.UTF_8), BulkFixture.NDJSON, null, null);

        assertEquals(202, a.status(), a.raw().body());
        assertEquals(1, a.body().path("accepted").asInt());
        assertEquals(3, a.body().path("rejectedCount").asInt());
        JsonNode rejected = a.body().path("rejected");
        assertEquals(2, rejected.get(0).path("line").asInt());
        assertEquals("\"url\" is missing", rejected.get(0).path("reason").asText());
        assertEquals(3, rejected.get(1).path("line").asInt());
        assertEquals("ftp", rejected.get(2).path("id").asText());
        String batchId = a.body().path("batchId").asText();
        assertEquals("/v1/batches/" + batchId, a.header("Location"));
        JsonNode status = BulkFixture.awaitComplete(client, batchId, 60_000);
        assertEquals(1, status.path("failed").asInt(), "port 9 refuses: a download error, not a silent drop");

        BatchClient.Answer none = client.submit("{\"id\": \"x\"}\n".getBytes(StandardCharsets.UTF_8),
                BulkFixture.NDJSON, null, null);
        assertEquals(422, none.status());
        assertEquals("no_valid_items", none.body().path("error").path("code").asText());

        BatchClient.Answer metadata = client.submit(body.getBytes(StandardCharsets.UTF_8), BulkFixture.NDJSON, null,
                "callbackUrl=http://169.254.169.254/latest");
        assertEquals(400, metadata.status());
        assertEquals("callbackUrl is refused: host '169.254.169.254' is 169.254.169.254, a cloud metadata address; "
                + "always denied", metadata.body().path("error").path("message").asText());
        assertEquals(404, client.status("no-such-batch").status());
    }
}
