package tagger.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.ApiServerMain;
import tagger.common.BatchOutcome;
import tagger.common.ErrorCode;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Settings;
import tagger.common.TrafficClass;
import tagger.common.WorkerPresence;
import tagger.common.WorkerPresence.ClassActivity;
import tagger.testkit.TestNamespace;
import tagger.transport.BatchStore;
import tagger.transport.rabbit.RabbitJobPublisher;
import tagger.transport.rabbit.RabbitTopology;
import tagger.transport.redis.RedisBatchStore;
import tagger.transport.redis.RedisPresenceBoard;

/**
 * The operator dashboard in a real headless Chromium, against a real api-server reading RabbitMQ and
 * Redis: the numbers on the page are the numbers of {@code /v1/cluster}, and they change without a
 * reload. Leaves a screenshot at {@code api-server/target/dashboard/dashboard.png}.
 */
class DashboardIT {
    static final Path SCREENSHOT = Path.of("target", "dashboard", "dashboard.png");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theDashboardShowsWhatTheClusterEndpointSaysAndFollowsItWithoutReloading(@TempDir Path tmp) throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                RedisPresenceBoard fixture = new RedisPresenceBoard(ns.redisUri(), ns.names());
                RedisBatchStore batches = new RedisBatchStore(ns.redisUri(), ns.names());
                RabbitJobPublisher publisher = new RabbitJobPublisher(ns.rabbitUri(), new RabbitTopology(ns.names(),
                        RabbitTopology.DEFAULT_DELIVERY_LIMIT, new Settings(Map.of()).queueMaxLengths()));
                ApiServer api = ApiServerMain.start(ApiConfig.fromEnv(Map.of("TAGGER_NAMESPACE", ns.names().namespace(),
                        "TAGGER_RABBITMQ_URI", ns.rabbitUri().toString(), "TAGGER_REDIS_URI", ns.redisUri().toString(),
                        "TAGGER_HTTP_HOST", "127.0.0.1", "TAGGER_HTTP_PORT", "0", "TAGGER_INSTANCE_ID", "api-dash")));
                Browser browser = Browser.start(tmp.resolve("profile"), Path.of("target", "dashboard", "chromedriver.log"))) {
            String base = "http://127.0.0.1:" + api.port();
            // a cluster whose numbers hold still: two announced workers (nobody consumes), jobs waiting
            worker(fixture, "gpu-worker-a", "cuda:0", 200, 40, 50, Map.of(), 0.2);
            worker(fixture, "gpu-worker-b", "cuda:0", 100, 900, 30, Map.of("undecodable", 2L), 0.4);
            await("the publisher is connected", publisher::isReady);
            publish(publisher, TrafficClass.REALTIME, 3);
            publish(publisher, TrafficClass.BULK, 5);
            migration(batches, "batch-dash");

            browser.open(base + "/dashboard?refresh=300&minutes=1");
            String loadId = browser.script("return window.taggerLoadId").asText();
            await("the page shows the fixture", () -> browser.text("#workers-online").equals("2")
                    && browser.text("#queue-bulk").equals("5"));
            JsonNode cluster = cluster(base);
            assertEquals(2, cluster.path("workersOnline").asInt());
            assertShows(browser, cluster);
            assertEquals("cuda:0", browser.text("tr[data-worker='gpu-worker-b'] td.device"));
            assertEquals("6.5", one(cluster.path("workers").get(1).path("imagesPerSecond").asDouble()), "(100 + 30) / 20 s");
            assertEquals("6.5", browser.text("tr[data-worker='gpu-worker-b'] td.imgs"));
            assertEquals("2", browser.text("tr[data-code='bulk/undecodable'] td.count"));
            // the migration row: the four counts of the batch, as /v1/cluster gives them
            JsonNode m = cluster.path("migrations").get(0);
            assertEquals(List.of("batch-dash", "cancelled", "3", "1", "2", "4", "10"), List.of(m.path("id").asText(),
                    m.path("status").asText(), m.path("tagged").asText(), m.path("failed").asText(),
                    m.path("cancelled").asText(), m.path("pending").asText(), m.path("total").asText()));
            String row = "tr[data-migration='batch-dash'] td.";
            assertEquals(List.of("cancelled", "3", "1", "2", "4", "10"), List.of(browser.text(row + "status"),
                    browser.text(row + "tagged"), browser.text(row + "failed"), browser.text(row + "cancelled"),
                    browser.text(row + "pending"), browser.text(row + "total")));
            // the rate decays while nothing happens. The page's snapshot and the test's may be either older
            // (/v1/cluster reuses a snapshot for up to 1 s, the page refreshes every 0.3 s), so the one taken
            // earlier, by its own `at`, shows the higher rate; 0.05 is the page's rounding to one decimal.
            JsonNode shown = browser.script("return [document.querySelector(\"tr[data-migration='batch-dash'] td.rate\")"
                    + ".textContent, Number(document.getElementById('updated').dataset.at)]");
            double pageRate = Double.parseDouble(shown.get(0).asText());
            long pageAt = shown.get(1).asLong();
            double clusterRate = m.path("imagesPerSecond").asDouble();
            long clusterAt = cluster.path("at").asLong();
            String rates = "page " + pageRate + " at " + pageAt + ", /v1/cluster " + clusterRate + " at " + clusterAt;
            assertTrue(pageAt > 0 && clusterAt > 0, "both snapshots carry their time: " + rates);
            assertTrue(pageAt <= clusterAt ? pageRate >= clusterRate - 0.05 : pageRate <= clusterRate + 0.05,
                    "the earlier snapshot shows the higher (decaying) rate: " + rates);

            // the cluster changes: the page follows on its own
            worker(fixture, "gpu-worker-c", "cuda:0", 300, 60, 0, Map.of(), 0.6);
            publish(publisher, TrafficClass.REALTIME, 2);
            await("the page shows the third worker", () -> browser.text("#workers-online").equals("3")
                    && browser.text("#queue-realtime").equals("5"));
            assertShows(browser, cluster(base));
            assertEquals(loadId, browser.script("return window.taggerLoadId").asText(), "no reload happened");

            // a few seconds of movement so that the charts have lines, then the screenshot for people
            for (int i = 0; i < 8; i++) {
                worker(fixture, "gpu-worker-c", "cuda:0", 300 + 40 * i, 60 + 5 * i, 20 * (i % 3), Map.of(), 0.5 + i * 0.05);
                publish(publisher, TrafficClass.BULK, 3 * i);
                Thread.sleep(1_000);
            }
            assertTrue(browser.script("return document.querySelectorAll('#chart-throughput path').length").asInt() == 3);
            assertTrue(browser.script("return document.querySelector('#chart-throughput path').getAttribute('d')")
                    .asText().matches("M[0-9.]+ [0-9.]+ (L[0-9.]+ [0-9.]+ )+"), "the throughput line has points");
            byte[] png = browser.screenshot();
            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, png);
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
            assertTrue(png.length > 20_000, "a real page, not a blank one: " + png.length + " bytes");
        }
    }

    /** Every tile against the snapshot, formatted the way the page formats numbers. */
    private static void assertShows(Browser browser, JsonNode c) {
        Map<String, String> expected = new HashMap<>();
        expected.put("#workers-online", c.path("workersOnline").asText());
        expected.put("#recommended-workers", c.path("recommendation").path("workers").asText());
        expected.put("#throughput-total", one(c.path("throughput").path("total").asDouble()));
        expected.put("#throughput-realtime", one(c.path("throughput").path("realtime").asDouble()));
        expected.put("#throughput-bulk", one(c.path("throughput").path("bulk").asDouble()));
        expected.put("#latency-realtime-p50", zero(c.path("latency").path("realtime").path("p50Ms").asDouble()));
        expected.put("#latency-realtime-p99", zero(c.path("latency").path("realtime").path("p99Ms").asDouble()));
        expected.put("#latency-bulk-p50", one(c.path("latency").path("bulk").path("p50Ms").asDouble() / 1000));
        expected.put("#latency-bulk-p99", one(c.path("latency").path("bulk").path("p99Ms").asDouble() / 1000));
        expected.put("#queue-realtime", c.path("queues").path("realtime").path("messages").asText());
        expected.put("#queue-bulk", c.path("queues").path("bulk").path("messages").asText());
        expected.put("#queue-dead", c.path("queues").path("dead").path("messages").asText());
        double duty = 0;
        for (JsonNode w : c.path("workers")) {
            duty += w.path("dutyCycle").asDouble();
        }
        expected.put("#duty-cycle", zero(100 * duty / c.path("workers").size()));
        long errors = 0;
        for (JsonNode byCode : c.path("errors")) {
            for (JsonNode n : byCode) {
                errors += n.asLong();
            }
        }
        expected.put("#errors-total", Long.toString(errors));
        JsonNode hitRate = c.path("cache").path("hitRate");
        expected.put("#cache-hit-rate", hitRate.isNumber() ? zero(100 * hitRate.asDouble()) : "–");
        Map<String, String> shown = new HashMap<>();
        expected.keySet().forEach(css -> shown.put(css, browser.text(css)));
        assertEquals(expected, shown, "the page against /v1/cluster " + c);
    }

    private static String one(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String zero(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static void worker(RedisPresenceBoard board, String id, String device, long realtime, long latencyMs,
            long bulk, Map<String, Long> bulkErrors, double duty) {
        long now = System.currentTimeMillis();
        WorkerPresence p = new WorkerPresence(id, new ModelRef("mobilenetv2", "12"), device, 64, now - 600_000, now, 20,
                (realtime + bulk) / 20.0, Math.min(1, duty + 0.1), duty, 32, 5, Map.of(
                        "realtime", new ClassActivity(realtime, Map.of(), ClusterViewTest.histogram(latencyMs, (int) realtime)),
                        "bulk", new ClassActivity(bulk, bulkErrors, ClusterViewTest.histogram(30_000, (int) Math.max(1, bulk)))));
        board.announce(WorkerPresence.KIND, id, Json.write(p), Duration.ofSeconds(120));
    }

    /** A batch of 10 items: 3 tagged, 1 failed, then cancelled with 2 items marked and 4 still pending. */
    private static void migration(RedisBatchStore batches, String id) {
        batches.claim(new BatchStore.NewBatch(id, null, "fp", null, null, null, Duration.ofMinutes(10),
                System.currentTimeMillis() + 600_000));
        batches.accepted(id, 10);
        List<BatchStore.ItemResult> outcomes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            outcomes.add(new BatchStore.ItemResult(id, new BatchOutcome("i" + i, "http://img.test/" + i, List.of(),
                    new ModelRef("mobilenetv2", "12"), null)));
        }
        outcomes.add(new BatchStore.ItemResult(id, BatchOutcome.error("i3", "http://img.test/3", ErrorCode.ORIGIN_STATUS,
                "origin answered 404")));
        batches.record(outcomes);
        batches.cancel(id);
        batches.record(List.of(new BatchStore.ItemResult(id, BatchOutcome.error("i4", "u", ErrorCode.CANCELLED, "cancelled")),
                new BatchStore.ItemResult(id, BatchOutcome.error("i5", "u", ErrorCode.CANCELLED, "cancelled"))));
    }

    private static void publish(RabbitJobPublisher publisher, TrafficClass cls, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            JobMeta meta = new JobMeta(UUID.randomUUID().toString(), null, cls, System.currentTimeMillis(), 0,
                    System.currentTimeMillis(), 0, null, null, null, null, null, null, null);
            publisher.publish(new ImageJob(meta, "image/png", new byte[] {1})).get(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode cluster(String base) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/cluster")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
