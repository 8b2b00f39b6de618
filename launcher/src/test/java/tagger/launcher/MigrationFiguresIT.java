package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.common.TrafficClass;
import tagger.launcher.bulk.BatchClient;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * A cancelled migration read from every operator surface: {@code GET /v1/batches/{id}},
 * {@code GET /v1/cluster} (which the dashboard draws; DashboardIT checks the page against it) and the
 * {@code ./tagger status} table show the same tagged, failed, cancelled and pending counts, and the
 * cluster view's rate and ETA are the batch's own.
 */
class MigrationFiguresIT {
    private static final int MISSING = 10;
    private static final int GOOD = 290;
    private static final int BACKLOG_PER_WORKER = 16;

    @Test
    void aCancelledBatchShowsTheSameFourCountsInTheBatchApiTheClusterViewAndTheStatusTable(@TempDir Path tmp)
            throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                // a few tiny images under 290 URLs: without the result cache they wait for a worker (items stay pending)
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_BULK_DOWNLOADS", "4",
                        "TAGGER_BULK_BACKLOG_PER_WORKER", Integer.toString(BACKLOG_PER_WORKER),
                        "TAGGER_CACHE", "false"))) {
            String base = "http://127.0.0.1:" + api.port();
            BatchClient client = new BatchClient(base);
            List<String> tiny = BulkFixture.tinyImages(origin);
            Map<String, String> items = new LinkedHashMap<>();
            for (int i = 0; i < MISSING; i++) {
                items.put("missing-" + i, origin.url("/missing-" + i + ".png")); // 404: failed, first in line
            }
            for (int i = 0; i < GOOD; i++) {
                items.put("item-" + i, origin.url("/slow/20" + tiny.get(i % tiny.size())));
            }
            BatchClient.Answer submitted = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null, null);
            assertEquals(202, submitted.status(), submitted.raw().body());
            String batchId = submitted.body().path("batchId").asText();

            // tagged and failed items while a worker runs; then it leaves, and the gate fills the bulk queue
            // with images nobody takes: they stay pending, so the batch stays open and visible everywhere
            Worker worker = TestStack.worker(ns, model, Map.of("TAGGER_MAX_BATCH", "4"));
            try {
                TestStack.awaitTrue("some items are tagged and the missing ones failed", Duration.ofSeconds(60), () -> {
                    JsonNode s = status(client, batchId);
                    return s.path("done").asLong() >= 20 && s.path("failed").asLong() == MISSING;
                });
            } finally {
                worker.close();
            }
            String bulkQueue = ns.names().queue(TrafficClass.BULK);
            TestStack.awaitTrue("the bulk queue holds images with no worker to take them", Duration.ofSeconds(30),
                    () -> ns.messageCount(bulkQueue) >= BACKLOG_PER_WORKER);
            BatchClient.Answer cancel = client.cancel(batchId);
            assertEquals(200, cancel.status(), cancel.raw().body());
            // the download stage marks what it holds and what waits for download as cancelled, then rests
            String metrics = TestStack.metricsUrl(api);
            TestStack.awaitTrue("the download stage has nothing left of the batch", Duration.ofSeconds(30), () ->
                    ns.messageCount(ns.names().bulkUrlQueue()) == 0
                            && Http.metric(metrics, "tagger_bulk_items_held", null) == 0
                            && Http.metric(metrics, "tagger_bulk_downloads_active", null) == 0
                            && status(client, batchId).path("cancelled").asLong() > 0);

            JsonNode before = status(client, batchId);
            long readAt = System.currentTimeMillis();
            JsonNode cluster = awaitClusterAfter(base, readAt);
            JsonNode after = status(client, batchId);

            List<Long> counts = counts(before, "done");
            assertEquals(counts, counts(after, "done"), "nothing moves any more: " + before + " then " + after);
            assertEquals("cancelled", before.path("status").asText());
            assertEquals(MISSING, counts.get(1));
            assertTrue(counts.get(0) >= 20 && counts.get(2) > 0 && counts.get(3) >= BACKLOG_PER_WORKER,
                    "tagged, cancelled and pending items all exist: " + before);
            assertEquals(MISSING + GOOD, counts.stream().mapToLong(Long::longValue).sum(), "the four add up to the total");

            JsonNode m = migration(cluster, batchId);
            assertEquals(counts, counts(m, "tagged"), "/v1/cluster against the batch: " + m + " vs " + before);
            assertEquals(MISSING + GOOD, m.path("total").asLong());
            assertEquals("cancelled", m.path("status").asText());
            // the rate decays while nothing happens: the cluster's, read in between, lies between the batch's two
            double rate = m.path("imagesPerSecond").asDouble();
            assertTrue(before.path("ratePerSecond").asDouble() >= rate && rate >= after.path("ratePerSecond").asDouble(),
                    "rates " + before.path("ratePerSecond") + " >= " + rate + " >= " + after.path("ratePerSecond"));
            if (rate > 0) {
                assertEquals(Math.round(counts.get(3) / rate * 10) / 10.0, m.path("etaSeconds").asDouble(), 1e-9,
                        "ETA = pending / rate, as the batch computes it");
            }

            String table = StatusTable.render(base, cluster);
            String row = table.lines().filter(l -> l.startsWith(batchId)).findFirst().orElseThrow(
                    () -> new AssertionError("no row for " + batchId + " in\n" + table));
            assertEquals(List.of(batchId, "cancelled", Long.toString(counts.get(0)), Long.toString(counts.get(1)),
                    Long.toString(counts.get(2)), Long.toString(counts.get(3)), Integer.toString(MISSING + GOOD)),
                    List.of(row.trim().split("\\s+")).subList(0, 7), table);
            assertTrue(table.contains("TAGGED  FAILED  CANCELLED  PENDING"), table);
        }
    }

    private static JsonNode status(BatchClient client, String batchId) {
        try {
            BatchClient.Answer a = client.status(batchId);
            assertEquals(200, a.status(), a.raw().body());
            return a.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Tagged, failed, cancelled, pending; the batch API calls tagged items "done". */
    private static List<Long> counts(JsonNode n, String tagged) {
        return List.of(n.path(tagged).asLong(), n.path("failed").asLong(), n.path("cancelled").asLong(),
                n.path("pending").asLong());
    }

    /** A cluster snapshot computed after {@code atMs} (snapshots are reused for up to a second). */
    private static JsonNode awaitClusterAfter(String base, long atMs) {
        JsonNode[] seen = new JsonNode[1];
        TestStack.awaitTrue("a fresh /v1/cluster", Duration.ofSeconds(10), () -> {
            seen[0] = Http.get(base + "/v1/cluster").body();
            return seen[0].path("at").asLong() > atMs;
        });
        return seen[0];
    }

    private static JsonNode migration(JsonNode cluster, String batchId) {
        for (JsonNode m : cluster.path("migrations")) {
            if (m.path("id").asText().equals(batchId)) {
                return m;
            }
        }
        assertNotNull(null, "batch " + batchId + " is not among the migrations of " + cluster);
        return null;
    }
}
