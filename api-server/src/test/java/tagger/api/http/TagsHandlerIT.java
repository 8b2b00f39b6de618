package tagger.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.download.DownloadException;
import tagger.api.download.FetchedImage;
import tagger.api.fakes.FakeImageFetcher;
import tagger.api.fakes.FakeJobPublisher;
import tagger.common.ErrorCode;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Tag;
import tagger.common.TagResult;
import tagger.common.Timings;
import tagger.testkit.SampleImages;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;
import tagger.transport.ResultStore;
import tagger.transport.memory.InMemoryResultStore;

/** {@code POST /v1/tags} through a real Javalin on a free port, with fakes for download and queue. */
class TagsHandlerIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final byte[] PNG = SampleImages.png(SampleImages.solid(8, 8, Color.RED));
    private static final String GOOD = "https://images.example/good.png";
    private static final String MISSING = "https://images.example/missing.png";

    private final FakeImageFetcher fetcher = new FakeImageFetcher();
    private final FakeJobPublisher publisher = new FakeJobPublisher();
    private final InMemoryResultStore results = new InMemoryResultStore();
    private ApiServer server;

    private void start(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of("TAGGER_HTTP_HOST", "127.0.0.1", "TAGGER_HTTP_PORT", "0",
                "TAGGER_INSTANCE_ID", "api-test"));
        env.putAll(overrides);
        fetcher.serve(GOOD, PNG, 4);
        // the fake queue plays the worker too: every accepted job is answered through the result store
        publisher.answerWith(job -> {
            results.complete(List.of(new ResultStore.Completion(TagResult.tags(job.meta(),
                    List.of(new Tag("red", 0.97)), new ModelRef("demo-colors", "1"),
                    new Timings(job.meta().downloadMs(), 0, 1, 2, 0, 3, 0, 10, 1)), job.meta().replyTo())));
            return CompletableFuture.completedFuture(null);
        });
        server = ApiServer.start(ApiConfig.fromEnv(env), publisher, results, fetcher,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpRequest request(String contentType, byte[] body, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/tags"
                + (query == null ? "" : "?" + query))).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    private HttpResponse<String> post(String contentType, byte[] body, String query) throws IOException,
            InterruptedException {
        return CLIENT.send(request(contentType, body, query), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String json) throws IOException, InterruptedException {
        return post("application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }

    private static JsonNode body(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code, String message)
            throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, body(r).at("/error/code").asText());
        assertEquals(message, body(r).at("/error/message").asText());
    }

    @Test
    void aSingleUrlIsAnsweredWithItsTagsAndAServerTimingHeader() throws Exception {
        start(Map.of());
        HttpResponse<String> r = postJson("{\"url\": \"" + GOOD + "\"}");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("red", body(r).at("/tags/0/label").asText());
        assertEquals(GOOD, body(r).at("/url").asText());
        String timing = r.headers().firstValue("Server-Timing").orElseThrow();
        assertTrue(timing.startsWith("download;dur=4.0, publish;dur="), timing);
    }

    @Test
    void aSingleUrlThatCannotBeDownloadedIsA422WithItsCode() throws Exception {
        start(Map.of());
        HttpResponse<String> r = postJson("{\"url\": \"" + MISSING + "\"}");

        assertEquals(422, r.statusCode(), r.body());
        assertEquals("origin_status", body(r).at("/error/code").asText());
        assertEquals("origin answered HTTP 404 for " + MISSING, body(r).at("/error/message").asText());
    }

    @Test
    void uploadedImageBytesAreTagged() throws Exception {
        start(Map.of());
        HttpResponse<String> r = post("image/png", PNG, "topK=1");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("red", body(r).at("/tags/0/label").asText());
        assertEquals(1, publisher.published().get(0).meta().topK());
        assertNull(publisher.published().get(0).meta().url());
    }

    @Test
    void anEmptyUploadIsABadRequest() throws Exception {
        start(Map.of());
        assertRefused(post("image/jpeg", new byte[0], null), 400, "invalid_request", "image body is empty");
    }

    @Test
    void badUploadOptionsAreABadRequestBeforeAnythingIsPublished() throws Exception {
        start(Map.of());
        assertRefused(post("image/png", PNG, "topK=0&timeoutMs=soon"), 400, "invalid_request",
                "topK must be an integer >= 1, got 0; timeoutMs must be an integer, got 'soon'");
        assertEquals(List.of(), publisher.published());
    }

    @Test
    void aListIsAnsweredInInputOrderWithPerItemErrors() throws Exception {
        start(Map.of());
        HttpResponse<String> r = postJson("{\"urls\": [\"" + MISSING + "\", \"" + GOOD + "\"]}");

        assertEquals(200, r.statusCode(), r.body());
        JsonNode items = body(r).get("results");
        assertEquals(2, items.size());
        assertEquals(MISSING, items.get(0).get("url").asText());
        assertEquals("origin_status", items.get(0).at("/error/code").asText());
        assertEquals(GOOD, items.get(1).get("url").asText());
        assertEquals("red", items.get(1).at("/tags/0/label").asText());
        assertTrue(r.headers().firstValue("Server-Timing").isPresent());
    }

    @Test
    void aListWhoseEveryItemCouldNotBeQueuedIsA503() throws Exception {
        start(Map.of());
        fetcher.serve("https://images.example/other.png", PNG, 1);
        publisher.refuseWith(new QueueUnavailableException("broker connection lost"));
        HttpResponse<String> r = postJson("{\"urls\": [\"" + GOOD + "\", \"https://images.example/other.png\"]}");

        assertEquals(503, r.statusCode(), r.body());
        for (JsonNode item : body(r).get("results")) {
            assertEquals("unavailable", item.at("/error/code").asText());
        }
    }

    @Test
    void aListWithOnlySomeItemsUnavailableIsStillA200() throws Exception {
        start(Map.of());
        publisher.refuseWith(new QueueUnavailableException("broker connection lost"));
        HttpResponse<String> r = postJson("{\"urls\": [\"" + GOOD + "\", \"" + MISSING + "\"]}");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("unavailable", body(r).at("/results/0/error/code").asText());
        assertEquals("origin_status", body(r).at("/results/1/error/code").asText());
    }

    @Test
    void aListWhoseEveryItemWasShedIsA429WithRetryAfter() throws Exception {
        start(Map.of());
        publisher.refuseWith(new QueueFullException("queue tagger.realtime is full (max length 10)"));
        HttpResponse<String> r = postJson("{\"urls\": [\"" + GOOD + "\"]}");

        assertEquals(429, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void aSingleShedImageIsA429WithRetryAfter() throws Exception {
        start(Map.of());
        publisher.refuseWith(new QueueFullException("queue tagger.realtime is full (max length 10)"));
        HttpResponse<String> r = postJson("{\"url\": \"" + GOOD + "\"}");

        assertRefused(r, 429, "overloaded", "queue tagger.realtime is full (max length 10)");
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void aNotReadyQueueIsA503BeforeAnyDownloadStarts() throws Exception {
        start(Map.of());
        publisher.setReady(false);
        assertRefused(postJson("{\"url\": \"" + GOOD + "\"}"), 503, "unavailable",
                "the queue is not reachable right now; retry later");
        assertEquals(List.of(), fetcher.calls());
    }

    @Test
    void whenTheInflightLimitIsReachedNewRequestsAreShedWithRetryAfterUntilAPermitIsFreed() throws Exception {
        start(Map.of("TAGGER_MAX_INFLIGHT", "1", "TAGGER_MAX_URLS", "1"));
        CompletableFuture<FetchedImage> slow = fetcher.hold("https://images.example/slow.png");
        CompletableFuture<HttpResponse<String>> first = CLIENT.sendAsync(
                request("application/json", "{\"url\": \"https://images.example/slow.png\"}".getBytes(), null),
                HttpResponse.BodyHandlers.ofString());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fetcher.calls().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(5);
        }

        HttpResponse<String> shed = postJson("{\"url\": \"" + GOOD + "\"}");
        assertRefused(shed, 429, "overloaded", "this server holds 1 images in flight, its limit; retry after 1 s");
        assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
        assertEquals(1, fetcher.calls().size(), "a shed request must not start a download");

        slow.completeExceptionally(new DownloadException(ErrorCode.DOWNLOAD_FAILED, "connection reset"));
        assertEquals(422, first.get(5, TimeUnit.SECONDS).statusCode());
        assertEquals(200, postJson("{\"url\": \"" + GOOD + "\"}").statusCode(), "the permit must be given back");
    }

    @Test
    void aRequestWithoutAnAnswerByItsTimeoutIsA504() throws Exception {
        start(Map.of());
        publisher.answerWith(job -> CompletableFuture.completedFuture(null)); // accepted, never answered
        HttpResponse<String> r = postJson("{\"url\": \"" + GOOD + "\", \"timeoutMs\": 150}");

        assertEquals(504, r.statusCode(), r.body());
        assertEquals("deadline_exceeded", body(r).at("/error/code").asText());
    }

    @Test
    void aContentTypeOtherThanJsonOrAnImageIsABadRequest() throws Exception {
        start(Map.of());
        assertRefused(post("text/plain", "https://images.example/good.png".getBytes(), null), 400,
                "invalid_request", "Content-Type must be application/json or image/*, got 'text/plain'");
        assertEquals(List.of(), fetcher.calls());
    }

    @Test
    void aMalformedJsonBodyIsABadRequestSayingWhatIsWrong() throws Exception {
        start(Map.of());
        assertRefused(postJson("{\"urls\": [], \"extra\": 1}"), 400, "invalid_request",
                "unknown field 'extra' (allowed: url, urls, topK, minScore, timeoutMs, cache); "
                        + "\"urls\" must be a non-empty array of strings, got []");
    }

    @Test
    void aJsonBodyWithoutContentTypeIsReadAsJson() throws Exception {
        start(Map.of());
        assertEquals(200, post(null, ("{\"url\": \"" + GOOD + "\"}").getBytes(), null).statusCode());
    }

    @Test
    void anUploadAboveTheByteLimitIsA413() throws Exception {
        start(Map.of("TAGGER_MAX_IMAGE_BYTES", "1024"));
        byte[] big = SampleImages.png(SampleImages.photoLike(64, 64, 7));
        assertTrue(big.length > 1024);
        assertRefused(post("image/png", big, null), 413, "payload_too_large",
                "request body is " + big.length + " bytes, the limit is 1024 bytes");
        assertEquals(List.of(), publisher.published());
    }
}
