package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/** One origin host that never answers cannot take the download slots of healthy hosts. */
class HostBulkheadIT {
    private static final int TIMEOUT_MS = 3_000;
    /** How late the server may answer by its own clock: the deadline timer's precision on a loaded machine. */
    private static final int SERVER_SLACK_MS = 500;
    /** How late the caller may see it: plus connection set-up and thread scheduling on a loaded machine. */
    private static final int CALLER_SLACK_MS = 1_500;

    @Test
    void aHangingHostGetsItsShareOfSlotsAndHealthyHostsAreServedMeanwhile(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        ExecutorService callers = Executors.newFixedThreadPool(40);
        try (TestNamespace ns = TestNamespace.random();
                HangingOrigin hanging = new HangingOrigin();
                ImageOrigin healthy = ImageOrigin.start();
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_DOWNLOAD_MAX_CONCURRENT", "8",
                        "TAGGER_DOWNLOAD_MAX_PER_HOST", "4"));
                Worker worker = TestStack.worker(ns, model, Map.of())) {
            String good = healthy.put("/red.png", SampleImages.png(SampleImages.solid(32, 32, Color.RED)), "image/png");
            String url = TestStack.tagsUrl(api);
            // the same loopback address under another host name: another origin host to the bulkhead
            String bad = "http://localhost:" + hanging.port() + "/never.png";

            List<CompletableFuture<Timed>> stuck = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                stuck.add(CompletableFuture.supplyAsync(() -> Timed.post(url, bad), callers));
            }
            TestStack.awaitTrue("the hanging host holds its slots", java.time.Duration.ofSeconds(10),
                    () -> hanging.accepted() >= 4);
            // two callers at a time: within the healthy host's own limit of 4
            ExecutorService healthyCallers = Executors.newFixedThreadPool(2);
            List<CompletableFuture<Timed>> served = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                served.add(CompletableFuture.supplyAsync(() -> Timed.post(url, good), healthyCallers));
            }

            for (CompletableFuture<Timed> f : served) {
                Timed t = f.get();
                assertEquals(200, t.answer.status(), t.answer.raw().body());
                assertEquals("red", t.answer.body().path("tags").get(0).path("label").asText());
                assertTrue(t.millis < TIMEOUT_MS, "a healthy host's image took " + t.millis + " ms");
            }
            healthyCallers.shutdown();
            int timedOut = 0;
            int refused = 0;
            for (CompletableFuture<Timed> f : stuck) {
                Timed t = f.get();
                String code = t.answer.body().path("error").path("code").asText();
                if (t.answer.status() == 429) {
                    assertEquals("overloaded", code);
                    assertEquals("1", t.answer.header("Retry-After"));
                    assertTrue(t.answer.body().path("error").path("message").asText().contains(
                            "origin host 'localhost' already has 4 downloads in flight, the limit per host"),
                            t.answer.raw().body());
                    refused++;
                } else {
                    assertEquals(504, t.answer.status(), t.answer.raw().body());
                    assertEquals("deadline_exceeded", code);
                    timedOut++;
                }
                double serverMs = t.answer.body().path("timings").path("total").asDouble();
                assertTrue(serverMs <= TIMEOUT_MS + SERVER_SLACK_MS, "answered " + serverMs + " ms after receipt, "
                        + "deadline " + TIMEOUT_MS + " ms");
                assertTrue(t.millis <= TIMEOUT_MS + CALLER_SLACK_MS, "the caller waited " + t.millis + " ms, deadline "
                        + TIMEOUT_MS + " ms");
            }
            System.out.println("measured: host bulkhead, " + timedOut + " timed out, " + refused + " refused, slowest "
                    + stuck.stream().mapToLong(f -> f.join().millis).max().orElse(0) + " ms (deadline " + TIMEOUT_MS
                    + " ms), healthy slowest " + served.stream().mapToLong(f -> f.join().millis).max().orElse(0) + " ms");
            assertEquals(20, timedOut + refused);
            assertTrue(timedOut <= 4 + 4, "at most the host's 4 slots at a time: " + timedOut + " timed out");
            assertTrue(refused >= 12, refused + " refused at once");
        } finally {
            callers.shutdownNow();
        }
    }

    /** One answer and how long the caller waited for it. */
    private record Timed(Http.Answer answer, long millis) {
        static Timed post(String tagsUrl, String imageUrl) {
            long start = System.nanoTime();
            Http.Answer a = Http.postJson(tagsUrl, "{\"url\": \"" + imageUrl + "\", \"timeoutMs\": " + TIMEOUT_MS + "}");
            return new Timed(a, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Accepts connections and never answers, holding them open until closed. */
    private static final class HangingOrigin implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        HangingOrigin() throws IOException {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hanging-origin");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
