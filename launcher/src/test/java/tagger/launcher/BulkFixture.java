package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tagger.common.Json;
import tagger.launcher.bulk.BatchClient;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;

/** Bulk test helpers: items served by a local origin, NDJSON bodies, waiting, reading every outcome. */
final class BulkFixture {
    static final String NDJSON = "application/x-ndjson";
    private static final Color[] COLORS = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.BLACK, Color.WHITE,
        Color.ORANGE, Color.MAGENTA};

    private BulkFixture() {
    }

    /** Registers tiny images (one per colour) on the origin; returns their paths. */
    static List<String> tinyImages(ImageOrigin origin) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < COLORS.length; i++) {
            String path = "/tiny-" + i + ".png";
            origin.put(path, SampleImages.png(SampleImages.solid(16, 16, COLORS[i])), "image/png");
            paths.add(path);
        }
        return paths;
    }

    /** One NDJSON line per item: {@code {"id": ..., "url": ...}}. */
    static byte[] ndjson(Map<String, String> urlsById) {
        StringBuilder sb = new StringBuilder();
        urlsById.forEach((id, url) -> sb.append(Json.write(Map.of("id", id, "url", url))).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Polls the batch until every item has its outcome; returns the last status. */
    static JsonNode awaitComplete(BatchClient client, String batchId, long timeoutMs) throws Exception {
        long until = System.currentTimeMillis() + timeoutMs;
        JsonNode status = null;
        while (System.currentTimeMillis() < until) {
            BatchClient.Answer a = client.status(batchId);
            assertEquals(200, a.status(), a.raw().body());
            status = a.body();
            if (status.path("complete").asBoolean()) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("batch " + batchId + " not complete after " + timeoutMs + " ms: " + status);
    }

    /** Reads the whole results log page by page; fails on a repeated id. */
    static Map<String, JsonNode> allOutcomes(BatchClient client, String batchId, int pageSize) throws IOException {
        Map<String, JsonNode> byId = new HashMap<>();
        String cursor = null;
        while (true) {
            BatchClient.Page page = client.results(batchId, cursor, pageSize);
            for (String line : page.lines()) {
                JsonNode o = Json.MAPPER.readTree(line);
                assertTrue(byId.put(o.path("id").asText(), o) == null, "a second outcome for " + o.path("id"));
            }
            cursor = page.next();
            if (page.lines().isEmpty() || page.complete()) {
                return byId;
            }
        }
    }
}
