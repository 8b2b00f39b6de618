package tagger.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.Color;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.fakes.FakeImageFetcher;
import tagger.api.fakes.FakeJobPublisher;
import tagger.common.ModelRef;
import tagger.common.Tag;
import tagger.common.TagResult;
import tagger.common.Timings;
import tagger.fixtures.RawHttp;
import tagger.testkit.SampleImages;
import tagger.transport.ResultStore;
import tagger.transport.memory.InMemoryResultStore;

/**
 * Uploads through a real Javalin on a free port, written with raw sockets so the test controls exactly
 * what the client sends: headers without {@code Expect: 100-continue}, bodies that arrive slowly.
 */
class UploadLimitsIT {
    private static final int CAP = 1 << 20;
    private static final byte[] PNG = SampleImages.png(SampleImages.solid(8, 8, Color.RED));

    private final FakeJobPublisher publisher = new FakeJobPublisher();
    private final InMemoryResultStore results = new InMemoryResultStore();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private ApiServer server;

    private void start(long budget) {
        Map<String, String> env = new HashMap<>(Map.of("TAGGER_HTTP_HOST", "127.0.0.1", "TAGGER_HTTP_PORT", "0",
                "TAGGER_INSTANCE_ID", "api-test", "TAGGER_MAX_IMAGE_BYTES", Integer.toString(CAP),
                "TAGGER_UPLOAD_BUDGET_BYTES", Long.toString(budget)));
        publisher.answerWith(job -> {
            results.complete(List.of(new ResultStore.Completion(TagResult.tags(job.meta(),
                    List.of(new Tag("red", 0.97)), new ModelRef("demo-colors", "1"),
                    new Timings(0, 0, 1, 2, 0, 3, 0, 10, 1)), job.meta().replyTo())));
            return CompletableFuture.completedFuture(null);
        });
        server = ApiServer.start(ApiConfig.fromEnv(env), publisher, results, new FakeImageFetcher(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyDeclaredAboveTheCapIsAnswered413BeforeItIsReadAndEveryClientSeesThe413() throws Exception {
        start(64L << 20);
        long declared = 25L << 20;
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(threads.submit(() -> {
                try (Socket s = connect()) {
                    RawHttp.writeUploadHeaders(s, "127.0.0.1", "image/png", declared);
                    // a client without Expect: 100-continue sends its body regardless of what comes back
                    threads.submit(() -> RawHttp.writeZeros(s.getOutputStream(), declared));
                    return RawHttp.readAnswer(s.getInputStream());
                }
            }));
        }
        for (Future<String> f : answers) {
            String answer = f.get();
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("request body is 26214400 bytes, the limit is 1048576 bytes"), answer);
        }
        assertEquals(8.0, metric("tagger_api_images_total{outcome=\"payload_too_large\""));
        assertEquals(8.0, metric("tagger_api_responses_total{route=\"tags\",status=\"413\""));
    }

    @Test
    void uploadsBeyondTheByteBudgetAreShedWith429UntilBytesAreGivenBack() throws Exception {
        start(2L * CAP);
        byte[] body = Arrays.copyOf(PNG, CAP); // a real PNG header, padded to the cap
        Socket first = connect();
        Socket second = connect();
        try {
            RawHttp.writeUploadHeaders(first, "127.0.0.1", "image/png", body.length);
            RawHttp.writeUploadHeaders(second, "127.0.0.1", "image/png", body.length);
            first.getOutputStream().write(body, 0, 100); // both bodies are still arriving
            second.getOutputStream().write(body, 0, 100);
            awaitMetric("tagger_api_upload_bytes", 2.0 * CAP);

            HttpResponse<String> shed = post(body);
            assertEquals(429, shed.statusCode(), shed.body());
            assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
            assertTrue(shed.body().contains("\"code\":\"overloaded\""), shed.body());
            assertTrue(shed.body().contains("request bodies being handled hold 2097152 of 2097152 bytes, the upload "
                    + "budget; retry after 1 s"), shed.body());

            first.getOutputStream().write(body, 100, body.length - 100);
            String answer = RawHttp.readAnswer(first.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            HttpResponse<String> admitted = post(body);
            assertEquals(200, admitted.statusCode(), admitted.body());
        } finally {
            first.close();
            second.close();
        }
        awaitMetric("tagger_api_upload_bytes", 0.0);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(20_000);
        return s;
    }

    private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/tags")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String prefix) throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private void awaitMetric(String prefix, double value) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (metric(prefix + " ") != value && metric(prefix + "{") != value) {
            if (System.nanoTime() > until) {
                throw new AssertionError(prefix + " never reached " + value + ", is " + metric(prefix));
            }
            Thread.sleep(20);
        }
    }
}
