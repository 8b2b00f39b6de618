package tagger.launcher.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tagger.common.Json;

/** A client of the batch endpoints of one api-server (or load balancer). */
public final class BatchClient {
    private final String base;
    private final HttpClient http;

    /** An answer: the status, the body parsed as JSON (null when it is not), and the raw response. */
    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /**
     * A page of outcomes.
     *
     * @param lines    NDJSON lines, one outcome each
     * @param next     the cursor to continue from
     * @param complete the batch is complete and no outcome is left after this page
     */
    public record Page(List<String> lines, String next, boolean complete, String status) {
    }

    /** @param base e.g. {@code http://127.0.0.1:8080} */
    public BatchClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** POSTs a batch body ({@code application/x-ndjson} or {@code application/json}); the key may be null. */
    public Answer submit(byte[] body, String contentType, String idempotencyKey, String query) throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/v1/batches" + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofMinutes(5)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (idempotencyKey != null) {
            r.header("Idempotency-Key", idempotencyKey);
        }
        return send(r.build());
    }

    public Answer status(String batchId) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/batches/" + batchId)).timeout(Duration.ofSeconds(30))
                .GET().build());
    }

    public Answer cancel(String batchId) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/batches/" + batchId)).timeout(Duration.ofSeconds(30))
                .DELETE().build());
    }

    /** Outcomes after {@code cursor} (null: from the start). */
    public Page results(String batchId, String cursor, int limit) throws IOException {
        String q = "?limit=" + limit + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        Answer a = send(HttpRequest.newBuilder(URI.create(base + "/v1/batches/" + batchId + "/results" + q))
                .timeout(Duration.ofSeconds(60)).GET().build());
        if (a.status() != 200) {
            throw new IOException("GET results of batch " + batchId + " answered " + a.status() + ": " + a.raw().body());
        }
        List<String> lines = new ArrayList<>();
        for (String line : a.raw().body().split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return new Page(lines, a.header("Tagger-Next-Cursor"), "true".equals(a.header("Tagger-Results-Complete")),
                a.header("Tagger-Batch-Status"));
    }

    private Answer send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = r.body().strip();
            JsonNode body = text.startsWith("{") ? Json.MAPPER.readTree(text) : null;
            return new Answer(r.statusCode(), body, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
