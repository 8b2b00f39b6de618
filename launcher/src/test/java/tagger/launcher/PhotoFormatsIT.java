package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import tagger.testkit.PhotoCorpus;
import tagger.testkit.PhotoCorpus.Item;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * The photo corpus (eight orientations, CMYK, YCCK, Adobe RGB, P3, HEIC, AVIF, TIFF, 16-bit PNG,
 * transparency, animation) through the real stack by URL and by upload: every file is tagged,
 * none is a 5xx, and every orientation gets the upright photo's top tag.
 */
class PhotoFormatsIT {
    @TempDir
    static Path tmp;
    static TestNamespace ns;
    static ImageOrigin origin;
    static Worker worker;
    static ApiServer api;
    static PhotoCorpus.Corpus corpus;

    @BeforeAll
    static void start() throws Exception {
        ns = TestNamespace.random();
        origin = ImageOrigin.start();
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        worker = TestStack.worker(ns, model, Map.of());
        api = TestStack.api(ns, Map.of());
        corpus = PhotoCorpus.generate(PhotoCorpus.upright(1200, 900));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {api, worker, origin, ns}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void everyFileOfTheCorpusIsTaggedByUrlAndByUpload() {
        assertEquals(List.of(), corpus.missing(), "tools from ./tagger test's packages");
        List<String> failures = new ArrayList<>();
        for (Item item : corpus.items()) {
            String url = origin.put("/" + item.name(), item.bytes(), item.contentType());
            Http.Answer byUrl = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"" + url + "\"}");
            Http.Answer upload = Http.postBytes(TestStack.tagsUrl(api), item.bytes(), item.contentType());
            for (Http.Answer a : List.of(byUrl, upload)) {
                if (a.status() != 200 || a.body().path("tags").isEmpty()) {
                    failures.add(item.name() + " " + (a == byUrl ? "by URL" : "uploaded") + ": " + a.status() + " " + a.raw().body());
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyOrientationGetsTheUprightPhotosTopTag() {
        String upright = topTag(item("orientation-1.jpg"));
        for (int o = 2; o <= 8; o++) {
            assertEquals(upright, topTag(item("orientation-" + o + ".jpg")), "orientation " + o);
        }
    }

    @Test
    void truncatedHeicIsAnUndecodableImageNotAServerError() {
        byte[] heic = item("photo.heic").bytes();
        byte[] cut = java.util.Arrays.copyOf(heic, heic.length / 2);
        Http.Answer a = Http.postBytes(TestStack.tagsUrl(api), cut, "image/heic");
        assertEquals(422, a.status(), a.raw().body());
        assertEquals("undecodable", a.body().path("error").path("code").asText(), a.raw().body());
        assertTrue(a.body().path("error").path("message").asText().startsWith("cannot decode HEIC"), a.raw().body());
    }

    @Test
    void formatsEndpointListsEveryFormatAndItsDecoder() {
        String base = TestStack.tagsUrl(api).replace("/v1/tags", "");
        Http.Answer r = Http.get(base + "/v1/formats");
        assertEquals(200, r.status(), r.raw().body());
        JsonNode body = r.body();
        List<String> names = new ArrayList<>();
        body.path("formats").forEach(f -> names.add(f.path("format").asText()));
        assertEquals(List.of("JPEG", "PNG", "GIF", "BMP", "WebP", "TIFF", "HEIC", "AVIF"), names);
        JsonNode heic = body.path("formats").get(6);
        assertTrue(heic.path("available").asBoolean(), r.raw().body());
        assertTrue(heic.path("decoder").asText().startsWith("libheif 1."), r.raw().body());
        assertEquals("composited onto white", body.path("transparency").asText());
        assertFalse(body.path("orientation").asText().isEmpty());
    }

    private static String topTag(Item item) {
        Http.Answer a = Http.postBytes(TestStack.tagsUrl(api), item.bytes(), item.contentType());
        assertEquals(200, a.status(), a.raw().body());
        return a.body().path("tags").get(0).path("label").asText();
    }

    private static Item item(String name) {
        return corpus.items().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }
}
