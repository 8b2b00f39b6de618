package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * The real HAProxy, rendered from deploy/haproxy/haproxy.cfg.template, in front of real api-servers:
 * least connections routes around a slow server, a crashed server costs only its in-flight
 * requests, and shedding (429) never gets a healthy server ejected.
 */
class LoadBalancerIT {
    /** The deadline of the requests the shedding test accepts; a 429 that waited for anything would take this long. */
    private static final int SHED_DEADLINE_MS = 4_000;

    @BeforeAll
    static void haproxyIsInstalled() {
        if (Haproxy.binary().isEmpty()) {
            throw new IllegalStateException("these tests run the real HAProxy: " + Haproxy.missingMessage(2)
                    + " (./tagger test installs it)");
        }
    }

    private static HaproxyConfig.Server server(String name, int port) {
        return new HaproxyConfig.Server(name, "127.0.0.1:" + port);
    }

    private static Haproxy haproxy(Path dir, String balance, int port, List<HaproxyConfig.Server> servers, String check) {
        int stats = LocalStack.freePort();
        return Haproxy.start(HaproxyConfig.local(balance, port, stats, servers, check), stats, dir, dir, "haproxy-" + balance);
    }

    private static IntFunction<HttpRequest> tagUrl(int port, String imageUrl) {
        return i -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/tags"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + imageUrl + "\"}")).build();
    }

    @Test
    void leastConnectionsSendsASlowServerMeasurablyLessWorkThanRoundRobin(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                Worker worker = TestStack.worker(ns, model, Map.of());
                // one image over and over: without the result cache every request costs a worker's time
                ApiServer fast = TestStack.api(ns, Map.of("TAGGER_CACHE", "false"));
                // the honest way to be slow: one download at a time against an origin taking 200 ms per image, at
                // most 5 images/s however idle the machine; the fast server's pace is set by the loaded machine
                ApiServer slow = TestStack.api(ns, Map.of("TAGGER_DOWNLOAD_MAX_CONCURRENT", "1",
                        "TAGGER_TIMEOUT_MS", "30000", "TAGGER_CACHE", "false"))) {
            origin.put("/img.png", SampleImages.png(SampleImages.rainbow(64, 48)), "image/png");
            String image = origin.url("/slow/200/img.png");
            List<HaproxyConfig.Server> servers = List.of(server("fast", fast.port()), server("slow", slow.port()));

            Map<String, Double> slowShare = new HashMap<>();
            for (String balance : List.of("leastconn", "roundrobin")) {
                int port = LocalStack.freePort();
                try (Haproxy lb = haproxy(tmp, balance, port, servers, "1s");
                        ClosedLoop load = ClosedLoop.start(12, 120, tagUrl(port, image))) {
                    List<ClosedLoop.Call> calls = load.await(Duration.ofSeconds(120));
                    assertTrue(calls.stream().allMatch(c -> c.status() == 200), balance + ": " + calls.stream()
                            .filter(c -> c.status() != 200).findFirst().map(ClosedLoop.Call::body).orElse(""));
                    long toSlow = lb.server("slow").total();
                    long toFast = lb.server("fast").total();
                    assertEquals(120, toSlow + toFast, balance + ": HAProxy counted every request once");
                    slowShare.put(balance, (double) toSlow / (toSlow + toFast));
                }
            }
            double lc = slowShare.get("leastconn");
            double rr = slowShare.get("roundrobin");
            assertTrue(rr > 0.45, "round-robin hands the slow server its turn regardless: " + slowShare);
            assertTrue(lc < 0.35 && lc < 0.7 * rr, "least connections sends it measurably less: " + slowShare);
        }
    }

    @Test
    void killingAnApiServerMidLoadFailsAtMostItsInFlightRequestsAndTrafficMovesOn(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                Worker worker = TestStack.worker(ns, model, Map.of())) {
            origin.put("/img.png", SampleImages.png(SampleImages.rainbow(64, 48)), "image/png");
            int[] ports = {LocalStack.freePort(), LocalStack.freePort()};
            ChildProcess api1 = apiProcess(ns, "api-1", ports[0], tmp);
            ChildProcess api2 = apiProcess(ns, "api-2", ports[1], tmp);
            int port = LocalStack.freePort();
            try (api1; api2) {
                api1.awaitReady(Duration.ofSeconds(60));
                api2.awaitReady(Duration.ofSeconds(60));
                try (Haproxy lb = haproxy(tmp, "leastconn", port, List.of(server("api-1", ports[0]),
                        server("api-2", ports[1])), "1s");
                        // requests from 120 on wait at the origin until api-2 is dead, so that at least 126 of the
                        // 260 (all but one closed loop of 14) start after the crash however late the kill lands
                        ClosedLoop load = ClosedLoop.start(14, 260, i -> tagUrl(port, origin.url(
                                (i < 120 ? "" : "/held") + "/slow/150/img.png")).apply(i))) {
                    TestStack.awaitTrue("60 requests answered", Duration.ofSeconds(120), () -> load.completed() >= 60);
                    long killStart = System.nanoTime();
                    api2.kill();
                    long killEnd = System.nanoTime();
                    origin.release();
                    List<ClosedLoop.Call> calls = load.await(Duration.ofSeconds(90));

                    List<ClosedLoop.Call> failed = calls.stream().filter(c -> c.status() != 200).toList();
                    long inFlightAtKill = calls.stream().filter(c -> c.startNanos() < killEnd && c.endNanos() > killStart).count();
                    assertTrue(failed.stream().allMatch(c -> c.startNanos() < killEnd),
                            "no request sent after the crash failed: " + failed);
                    assertTrue(failed.size() <= inFlightAtKill, failed.size() + " failed, but only " + inFlightAtKill
                            + " were in flight when api-2 died");
                    List<ClosedLoop.Call> after = calls.stream().filter(c -> c.startNanos() > killEnd).toList();
                    assertTrue(after.size() >= 100, "traffic continued: " + after.size() + " requests after the crash");
                    assertTrue(after.stream().allMatch(c -> c.status() == 200 && "api-1".equals(c.server())),
                            "every later request was answered by api-1");
                    TestStack.awaitTrue("HAProxy marks the dead server down", Duration.ofSeconds(10),
                            () -> lb.server("api-2").status().startsWith("DOWN"));
                    assertEquals("UP", lb.server("api-1").status());
                }
            }
        }
    }

    @Test
    void sheddingWith429NeverMakesHaproxyMarkAHealthyServerDown(@TempDir Path tmp) throws Exception {
        // no worker: the real-time queue fills to its bound of 2; each server also holds at most 2 images
        Map<String, String> tight = Map.of("TAGGER_MAX_URLS", "1", "TAGGER_MAX_INFLIGHT", "2",
                "TAGGER_REALTIME_MAX_LENGTH", "2", "TAGGER_TIMEOUT_MS", Integer.toString(SHED_DEADLINE_MS));
        byte[] png = SampleImages.png(SampleImages.rainbow(64, 48));
        try (TestNamespace ns = TestNamespace.random();
                ApiServer a = TestStack.api(ns, tight);
                ApiServer b = TestStack.api(ns, tight)) {
            int port = LocalStack.freePort();
            try (Haproxy lb = haproxy(tmp, "leastconn", port, List.of(server("a", a.port()), server("b", b.port())),
                    "200ms")) {
                List<ClosedLoop.Call> shed = new java.util.ArrayList<>();
                for (int burst = 0; burst < 4; burst++) {
                    try (ClosedLoop load = ClosedLoop.start(20, 20, i -> HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/v1/tags")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build())) {
                        List<ClosedLoop.Call> calls = load.await(Duration.ofSeconds(30));
                        calls.stream().filter(c -> c.status() == 429).forEach(shed::add);
                    }
                    Thread.sleep(300); // health checks run every 200 ms meanwhile
                }
                assertTrue(shed.size() >= 40, "most requests were shed: " + shed.size());
                assertTrue(shed.stream().allMatch(c -> "1".equals(c.retryAfter())), "every 429 says when to retry");
                assertTrue(shed.stream().allMatch(c -> c.millis() < SHED_DEADLINE_MS / 2.0),
                        "shed without waiting for the " + SHED_DEADLINE_MS + " ms deadline: slowest 429 took "
                                + shed.stream().mapToDouble(ClosedLoop.Call::millis).max().orElse(0) + " ms");
                assertTrue(shed.stream().anyMatch(c -> c.body().contains("images in flight, its limit")),
                        "some were shed by TAGGER_MAX_INFLIGHT");
                assertTrue(shed.stream().anyMatch(c -> c.body().contains("is full (x-max-length 2)")),
                        "some were refused by the full queue");
                for (String name : List.of("a", "b")) {
                    Haproxy.Row row = lb.server(name);
                    assertEquals("UP", row.status(), name + ": " + row);
                    assertEquals(0, row.checkFailures(), name + " failed no health check: " + row);
                    assertEquals(0, row.checkDowns(), name + ": " + row);
                    assertTrue(row.responses4xx() > 0, name + " did shed: " + row);
                    assertNotNull(row.checkStatus());
                }
            }
        }
    }

    private static ChildProcess apiProcess(TestNamespace ns, String name, int port, Path tmp) {
        Map<String, String> env = TestStack.env(ns, Map.of("TAGGER_HTTP_HOST", "127.0.0.1",
                "TAGGER_HTTP_PORT", Integer.toString(port), "TAGGER_INSTANCE_ID", ns.names().namespace() + "-" + name,
                "TAGGER_ALLOW_PRIVATE_NETWORKS", "true", "TAGGER_CACHE", "false"));
        return ChildProcess.start(name, "tagger.api.ApiServerMain", env, tmp.resolve("logs"),
                "http://127.0.0.1:" + port + "/readyz");
    }
}
