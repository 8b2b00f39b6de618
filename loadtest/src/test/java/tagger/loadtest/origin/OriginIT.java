package tagger.loadtest.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in origin over real HTTP: the corpus, and every fault it can inject. */
class OriginIT {
    static OriginServer origin;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        origin = OriginServer.start("127.0.0.1", 0, new PhotoCorpus(2, 1));
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private static HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(origin.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Width and height from the image header, without decoding the pixels. */
    private static int[] size(byte[] image) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.next();
            reader.setInput(in);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        }
    }

    @Test
    void servesJpegAndPngAtEveryCorpusSizeWithUniqueBodies() throws Exception {
        for (String kind : new String[] {"320x240/a.jpg", "640x480/a.png", "1920x1080/a.jpg", "4000x3000/a.jpg"}) {
            HttpResponse<byte[]> r = get("/photo/" + kind);
            assertEquals(200, r.statusCode(), kind);
            String[] wh = kind.substring(0, kind.indexOf('/')).split("x");
            int[] size = size(r.body());
            assertEquals(Integer.parseInt(wh[0]), size[0], kind);
            assertEquals(Integer.parseInt(wh[1]), size[1], kind);
            assertEquals(kind.endsWith("png") ? "image/png" : "image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        }
        byte[] one = get("/photo/640x480/r1-1-0.jpg").body();
        byte[] two = get("/photo/640x480/r1-2-0.jpg").body();
        assertFalse(java.util.Arrays.equals(one, two), "every URL gets its own bytes");
    }

    @Test
    void injectedStatusesComeWithTheirHeaders() throws Exception {
        assertEquals(404, get("/photo/640x480/x.jpg?fault=404").statusCode());
        assertEquals(500, get("/photo/640x480/x.jpg?fault=500").statusCode());
        HttpResponse<byte[]> throttled = get("/photo/640x480/x.jpg?fault=429");
        assertEquals(429, throttled.statusCode());
        assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void latencyIsAddedBeforeTheAnswer() throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = get("/photo/320x240/slow.jpg?lat=300");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(ms >= 290, "answered after " + ms + " ms");
    }

    @Test
    void aTruncatedBodyEndsBeforeTheLengthItsHeadersPromised() {
        long before = origin.stats().snapshot().served().getOrDefault("truncate", 0L);
        IOException e = assertThrows(IOException.class, () -> get("/photo/640x480/t.jpg?fault=truncate"));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), String.valueOf(e));
        assertEquals(before + 1, origin.stats().snapshot().served().get("truncate"));
    }

    @Test
    void aSlowDripDeliversTheWholeImageOverTheDripTime() throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = get("/photo/320x240/d.jpg?fault=drip&drip=600");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertEquals(320, size(r.body())[0]);
        assertTrue(ms >= 500, "took " + ms + " ms");
    }

    @Test
    void theTrivialTaggingEndpointAnswersAtOnceInTheApisShape() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(origin.baseUrl() + "/v1/tags"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"x\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"tags\""), r.body());
        assertEquals("total;dur=0.0", r.headers().firstValue("Server-Timing").orElse(null));
    }

    @Test
    void unknownPathsAndBadParametersAreExplained() throws Exception {
        HttpResponse<byte[]> missing = get("/images/a.jpg");
        assertEquals(404, missing.statusCode());
        assertEquals("no such photo path: /images/a.jpg; expected /photo/<W>x<H>/<id>.<jpg|png>", new String(missing.body()));
        HttpResponse<byte[]> bad = get("/photo/640x480/a.jpg?fault=503");
        assertEquals(400, bad.statusCode());
        assertEquals("fault must be one of 404, 500, 429, truncate, drip, got '503'", new String(bad.body()));
    }
}
