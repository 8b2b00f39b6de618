package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/** End to end through HTTP: api-server → RabbitMQ → worker (demo model) → Redis → api-server. */
class TaggingIT {
    @TempDir
    static Path tmp;
    static TestNamespace ns;
    static ImageOrigin origin;
    static Worker worker;
    static ApiServer api;
    /** Same namespace, small limits: 20 000 bytes and 100 000 pixels. */
    static ApiServer strictApi;

    @BeforeAll
    static void start() throws Exception {
        ns = TestNamespace.random();
        origin = ImageOrigin.start();
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        worker = TestStack.worker(ns, model, Map.of());
        api = TestStack.api(ns, Map.of());
        strictApi = TestStack.api(ns, Map.of("TAGGER_MAX_IMAGE_BYTES", "20000", "TAGGER_MAX_IMAGE_PIXELS", "100000"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {strictApi, api, worker, origin, ns}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private static List<String> labels(JsonNode result) {
        List<String> labels = new ArrayList<>();
        result.path("tags").forEach(t -> labels.add(t.path("label").asText()));
        return labels;
    }

    @Test
    void aRedPhotoByUrlComesBackWithRedFirst() {
        String url = origin.put("/red.jpg", SampleImages.jpeg(SampleImages.solid(640, 480, new Color(215, 25, 30))),
                "image/jpeg");
        Http.Answer a = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"" + url + "\"}");
        assertEquals(200, a.status(), a.raw().body());
        assertEquals("red", labels(a.body()).get(0), a.raw().body());
        assertEquals(url, a.body().path("url").asText());
        assertEquals("demo-colors", a.body().path("model").path("name").asText());
        JsonNode t = a.body().path("timings");
        for (String stage : List.of("download", "queue", "preprocess", "inference", "total", "batchSize")) {
            assertTrue(t.has(stage), "timings has " + stage + ": " + t);
        }
        assertTrue(t.path("total").asDouble() >= t.path("inference").asDouble());
        String serverTiming = a.header("Server-Timing");
        assertNotNull(serverTiming);
        assertTrue(serverTiming.contains("download;dur=") && serverTiming.contains("inference;dur=")
                && serverTiming.contains("total;dur="), serverTiming);
    }

    @Test
    void inApiModeAPhotoTravelsAsAnEdgePayloadAndIsTaggedTheSame() throws Exception {
        try (ApiServer edgeApi = TestStack.api(ns, Map.of("TAGGER_PREPROCESS_AT", "api"))) {
            String cluster = "http://127.0.0.1:" + edgeApi.port() + "/v1/cluster";
            long until = System.nanoTime() + 15_000_000_000L;
            String edge = "";
            while (!edge.equals("64x64-stretch") && System.nanoTime() < until) {
                Thread.sleep(200); // the worker announces every 2 s; the api-server re-reads at most once a second
                edge = Http.get(cluster).body().path("edge").asText();
            }
            assertEquals("64x64-stretch", edge, "the api-server learned the worker's pixel spec");

            byte[] photo = SampleImages.jpeg(SampleImages.solid(1600, 1200, new Color(215, 25, 30)));
            Http.Answer a = Http.postBytes(TestStack.tagsUrl(edgeApi), photo, "image/jpeg");
            assertEquals(200, a.status(), a.raw().body());
            assertEquals("red", labels(a.body()).get(0), a.raw().body());
            assertTrue(a.body().path("timings").path("edgePreprocess").asDouble() > 0, a.raw().body());
            assertTrue(a.header("Server-Timing").startsWith("edge-preprocess;dur="), a.header("Server-Timing"));
        }
    }

    @Test
    void aBlackImageUploadedAsBytesComesBackBlackAndDark() {
        byte[] png = SampleImages.png(SampleImages.solid(320, 240, Color.BLACK));
        Http.Answer a = Http.postBytes(TestStack.tagsUrl(api) + "?topK=2", png, "image/png");
        assertEquals(200, a.status(), a.raw().body());
        assertEquals(List.of("black", "dark"), labels(a.body()).stream().sorted().toList(), a.raw().body());
        assertEquals(0.0, a.body().path("timings").path("download").asDouble());
    }

    @Test
    void topKAndMinScoreTravelToTheWorker() {
        String url = origin.put("/rainbow.png", SampleImages.png(SampleImages.rainbow(300, 200)), "image/png");
        Http.Answer a = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"" + url + "\", \"topK\": 1}");
        assertEquals(200, a.status(), a.raw().body());
        assertEquals(List.of("colorful"), labels(a.body()));
        Http.Answer none = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"" + url + "\", \"minScore\": 1.01}");
        assertEquals(200, none.status());
        assertEquals(List.of(), labels(none.body()), "no score reaches 1.01");
    }

    @Test
    void aUrlListWithA404AndANonImageReturnsTwoItemErrorsAndOneResultInOrder() {
        String good = origin.put("/green.png", SampleImages.png(SampleImages.solid(200, 200, new Color(30, 160, 50))),
                "image/png");
        String html = origin.put("/page.html", "<html><body>hello</body></html>".getBytes(), "image/jpeg");
        String missing = origin.url("/missing.jpg");
        Http.Answer a = Http.postJson(TestStack.tagsUrl(api),
                "{\"urls\": [\"" + missing + "\", \"" + html + "\", \"" + good + "\"]}");
        assertEquals(200, a.status(), a.raw().body());
        JsonNode results = a.body().path("results");
        assertEquals(3, results.size());
        assertEquals("origin_status", results.get(0).path("error").path("code").asText());
        assertTrue(results.get(0).path("error").path("message").asText().contains("404"), results.get(0).toString());
        assertEquals(missing, results.get(0).path("url").asText());
        assertEquals("not_an_image", results.get(1).path("error").path("code").asText());
        assertEquals("green", labels(results.get(2)).get(0), results.get(2).toString());
    }

    @Test
    void anImageOverTheByteLimitIsRefusedWith413() {
        byte[] big = SampleImages.jpeg(SampleImages.photoLike(800, 600, 3));
        assertTrue(big.length > 20_000);
        String url = origin.put("/big.jpg", big, "image/jpeg");
        Http.Answer byUrl = Http.postJson(TestStack.tagsUrl(strictApi), "{\"url\": \"" + url + "\"}");
        assertEquals(413, byUrl.status(), byUrl.raw().body());
        assertEquals("too_large", byUrl.body().path("error").path("code").asText());

        Http.Answer upload = Http.postBytes(TestStack.tagsUrl(strictApi), big, "image/jpeg");
        assertEquals(413, upload.status(), upload.raw().body());
        assertEquals("payload_too_large", upload.body().path("error").path("code").asText());
    }

    @Test
    void anImageOverThePixelLimitIsRefusedWith413BeforePublishing() {
        // 640x480 = 307 200 px, above the strict server's 100 000; tiny on disk as a flat PNG
        byte[] png = SampleImages.png(SampleImages.solid(640, 480, Color.BLUE));
        assertTrue(png.length < 20_000);
        double publishedBefore = Http.metric(TestStack.metricsUrl(strictApi), "tagger_api_stage_seconds_count",
                "stage=\"publish\"");
        Http.Answer a = Http.postBytes(TestStack.tagsUrl(strictApi), png, "image/png");
        assertEquals(413, a.status(), a.raw().body());
        assertEquals("too_many_pixels", a.body().path("error").path("code").asText());
        assertEquals("image is 640x480 px (0.3 MP), limit 0.1 MP", a.body().path("error").path("message").asText());
        assertEquals(publishedBefore, Http.metric(TestStack.metricsUrl(strictApi), "tagger_api_stage_seconds_count",
                "stage=\"publish\""));
    }

    @Test
    void anUndecodableImageEndsAsAnItemErrorAndInTheDeadLetterQueue() throws Exception {
        // a real JPEG header followed by garbage: passes the api-server's header check, fails decoding
        byte[] jpeg = SampleImages.jpeg(SampleImages.photoLike(320, 240, 5));
        byte[] broken = java.util.Arrays.copyOf(jpeg, jpeg.length);
        for (int i = 700; i < broken.length - 2; i++) {
            broken[i] = (byte) 0xFF;
        }
        long deadBefore = ns.messageCount(ns.names().deadLetter());
        Http.Answer a = Http.postBytes(TestStack.tagsUrl(api), broken, "image/jpeg");
        assertEquals(422, a.status(), a.raw().body());
        assertEquals("undecodable", a.body().path("error").path("code").asText(), a.raw().body());
        long until = System.currentTimeMillis() + 5_000;
        while (ns.messageCount(ns.names().deadLetter()) == deadBefore && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertEquals(deadBefore + 1, ns.messageCount(ns.names().deadLetter()));
    }

    @Test
    void malformedRequestsGet400NamingTheProblem() {
        Http.Answer both = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"http://x/a.jpg\", \"urls\": [], \"topk\": 3}");
        assertEquals(400, both.status());
        assertEquals("invalid_request", both.body().path("error").path("code").asText());
        assertEquals("unknown field 'topk' (allowed: url, urls, topK, minScore, timeoutMs, cache); "
                + "exactly one of \"url\" or \"urls\" is required", both.body().path("error").path("message").asText());

        Http.Answer badUrl = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"ftp://example.com/a.jpg\"}");
        assertEquals(400, badUrl.status(), badUrl.raw().body());
        assertEquals("invalid_url", badUrl.body().path("error").path("code").asText());
    }

    @Test
    void healthAndReadinessAndMetricsAreServed() {
        assertEquals(200, Http.get("http://127.0.0.1:" + api.port() + "/healthz").status());
        Http.Answer ready = Http.get("http://127.0.0.1:" + api.port() + "/readyz");
        assertEquals(200, ready.status(), ready.raw().body());
        assertTrue(ready.body().path("ready").asBoolean());
        assertEquals(200, Http.get("http://127.0.0.1:" + worker.adminPort() + "/readyz").status());
        assertTrue(Http.get(TestStack.metricsUrl(worker)).raw().body().contains("tagger_worker_duty_cycle"));
    }
}
