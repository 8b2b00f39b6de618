package tagger.loadtest.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tagger.common.Json;

/**
 * Turns a {@code POST /v1/tags} answer into an {@link Exchange}: one result ({@code tags} or
 * {@code error}), a list ({@code results}, each item judged alone), or a refused request
 * ({@code error} with a non-2xx status).
 */
final class ResponseReader {
    private ResponseReader() {
    }

    static Exchange read(String scenario, int images, int status, String serverTiming, byte[] body) {
        Map<String, Double> timing = ServerTimingHeader.parse(serverTiming);
        JsonNode root = parse(body);
        int tagged = 0;
        String errorCode = null;
        List<String> itemErrors = new ArrayList<>();
        if (root != null && root.has("results") && root.get("results").isArray()) {
            for (JsonNode item : root.get("results")) {
                if (item.has("tags") && !item.has("error")) {
                    tagged++;
                } else {
                    itemErrors.add(item.path("error").path("code").asText("unknown"));
                }
            }
        } else if (root != null && root.has("tags") && !root.has("error")) {
            tagged = 1;
        } else if (root != null && root.has("error")) {
            errorCode = root.path("error").path("code").asText("unknown");
            if (images == 1) {
                // a single image's failure is both the request's and the item's
                itemErrors.add(errorCode);
            }
        }
        Exchange ok = new Exchange(scenario, status, null, errorCode, images, Math.min(tagged, images),
                List.copyOf(itemErrors), timing, null);
        if (ok.success()) {
            return ok;
        }
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return new Exchange(scenario, status, null, errorCode, images, ok.imagesTagged(), ok.itemErrors(), timing,
                "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0 || body[0] != '{') {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
