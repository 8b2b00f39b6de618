package tagger.loadtest.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tagger.common.Json;
import tagger.loadtest.origin.OriginUrls;

/**
 * The bulk scenario: one operation is one migration batch of {@code batchSize} image URLs, measured
 * from submission until every item has an outcome. Each operation
 * <ol>
 *   <li>submits {@code POST /v1/batches} (JSON items, an {@code Idempotency-Key} unique to the run and
 *       operation) and needs {@code 202} with a batch id;</li>
 *   <li>polls {@code GET /v1/batches/{id}} every {@code pollInterval} until {@code complete}, telling
 *       the {@link ItemsFinished} listener how many items finished since the last poll (so a level can
 *       count images/s inside its window even when a batch spans two levels);</li>
 *   <li>reads the whole results log and checks that every item came back exactly once
 *       ({@link BatchOutcomes}).</li>
 * </ol>
 * A refused submission (429, 503) ends the operation with that status: the generator does not retry,
 * so shedding is counted, never hidden. A batch not complete within {@code batchTimeout} is cancelled
 * ({@code DELETE}) and counts as {@code transport:timeout}. Polling never holds a thread: each step is
 * scheduled on the JDK's delayed executor and runs on the HTTP client's threads.
 */
public final class BulkWorkload implements Workload {
    /** Results are read in pages of this many outcomes (the API allows up to 10 000). */
    static final int RESULTS_PAGE = 1_000;

    private final String name;
    private final HttpTarget target;
    private final URI batches;
    private final OriginUrls urls;
    private final String keyPrefix;
    private final Options options;
    private final Map<String, Batch> running = new ConcurrentHashMap<>();
    private volatile ItemsFinished listener = (nanos, items) -> { };

    /**
     * What every batch carries and how it is followed.
     *
     * @param batchSize      URLs per batch
     * @param topK           the {@code topK} to ask for, null for the model default
     * @param pollInterval   time between two status reads of a running batch
     * @param batchTimeout   a batch not complete by then is cancelled and counted as a timeout
     * @param requestTimeout client timeout of each HTTP call (submit, poll, results page)
     */
    public record Options(int batchSize, Integer topK, Duration pollInterval, Duration batchTimeout,
            Duration requestTimeout) {
    }

    /** Hears how many items of any batch finished (tagged, failed or cancelled), as polls see them. */
    public interface ItemsFinished {
        void add(long nanoTime, long items);
    }

    /** One submitted batch being followed. */
    private static final class Batch {
        final String id;
        final Set<String> itemIds;
        final long startNanos;
        final CompletableFuture<Exchange> result;
        final BatchOutcomes outcomes;
        long finishedSoFar;
        int pages;
        volatile boolean cancelled;

        Batch(String id, Set<String> itemIds, long startNanos, CompletableFuture<Exchange> result) {
            this.id = id;
            this.itemIds = itemIds;
            this.startNanos = startNanos;
            this.result = result;
            this.outcomes = new BatchOutcomes(itemIds);
        }
    }

    /**
     * @param base      the api-server's base URL
     * @param keyPrefix makes idempotency keys unique to this run (and to this workload within it)
     */
    public BulkWorkload(String name, HttpTarget target, URI base, OriginUrls urls, String keyPrefix, Options options) {
        this.name = name;
        this.target = target;
        this.batches = URI.create(base.toString().replaceAll("/+$", "") + "/v1/batches");
        this.urls = urls;
        this.keyPrefix = keyPrefix;
        this.options = options;
    }

    @Override
    public String name() {
        return name;
    }

    /** Replaces the listener that counts finished items (a level sets its own). */
    public void onItemsFinished(ItemsFinished listener) {
        this.listener = listener;
    }

    /** Batches submitted and not yet complete. */
    public int running() {
        return running.size();
    }

    /**
     * Cancels every batch still running ({@code DELETE}), so that the next level does not inherit
     * their items; their operations end as {@code transport:cancelled}. Returns how many there were.
     */
    public int cancelRunning() {
        int n = 0;
        for (Batch b : running.values()) {
            b.cancelled = true;
            target.call(request(URI.create(batches + "/" + b.id)).DELETE().build());
            n++;
        }
        return n;
    }

    @Override
    public CompletableFuture<Exchange> issue(long index, boolean faults) {
        int n = options.batchSize();
        Set<String> ids = new LinkedHashSet<>(n * 2);
        List<Map<String, Object>> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = "item-" + i;
            ids.add(id);
            items.add(Map.of("id", id, "url", urls.url(index, i, faults)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        if (options.topK() != null) {
            body.put("topK", options.topK());
        }
        HttpRequest submit = request(batches)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", keyPrefix + "-" + index)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body)))
                .build();
        long start = System.nanoTime();
        CompletableFuture<Exchange> result = new CompletableFuture<>();
        target.call(submit).whenComplete((response, error) -> {
            if (error != null) {
                result.complete(Exchange.transportFailure(name, "other", error));
                return;
            }
            String batchId = response.statusCode() / 100 == 2 ? field(response.body(), "batchId") : null;
            if (batchId == null) {
                // refused (429, 503, 422 ...): the reader turns the error body into codes
                result.complete(ResponseReader.read(name, n, response.statusCode(), null, response.body()));
                return;
            }
            Batch batch = new Batch(batchId, ids, start, result);
            running.put(batchId, batch);
            later(() -> poll(batch));
        });
        return result;
    }

    private void poll(Batch b) {
        if (b.cancelled) {
            finish(b, new Exchange(name, 0, "cancelled", null, b.itemIds.size(), 0, List.of(), Map.of(),
                    "batch " + b.id + " cancelled at the end of its level"));
            return;
        }
        if (System.nanoTime() - b.startNanos > options.batchTimeout().toNanos()) {
            target.call(request(URI.create(batches + "/" + b.id)).DELETE().build());
            finish(b, new Exchange(name, 0, "timeout", null, b.itemIds.size(), 0, List.of(), Map.of(),
                    "batch " + b.id + " not complete after --batch-timeout " + options.batchTimeout() + "; cancelled"));
            return;
        }
        target.call(request(URI.create(batches + "/" + b.id)).GET().build()).whenComplete((response, error) -> {
            if (error != null || response.statusCode() != 200) {
                later(() -> poll(b)); // a missed poll is retried until the batch timeout
                return;
            }
            JsonNode status = parse(response.body());
            long finished = status.path("done").asLong() + status.path("failed").asLong()
                    + status.path("cancelled").asLong();
            if (finished > b.finishedSoFar) {
                listener.add(System.nanoTime(), finished - b.finishedSoFar);
                b.finishedSoFar = finished;
            }
            if (status.path("complete").asBoolean(false)) {
                readResults(b, null);
            } else {
                later(() -> poll(b));
            }
        });
    }

    private void readResults(Batch b, String cursor) {
        String query = "?limit=" + RESULTS_PAGE + (cursor == null ? "" : "&cursor="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        target.call(request(URI.create(batches + "/" + b.id + "/results" + query)).GET().build())
                .whenComplete((response, error) -> {
                    if (error != null || response.statusCode() != 200) {
                        finish(b, error != null ? Exchange.transportFailure(name, "other", error)
                                : ResponseReader.read(name, b.itemIds.size(), response.statusCode(), null, response.body()));
                        return;
                    }
                    b.outcomes.addPage(new String(response.body(), StandardCharsets.UTF_8));
                    b.pages++;
                    boolean complete = response.headers().firstValue("Tagger-Results-Complete").orElse("false")
                            .equals("true");
                    // a complete batch's log is finite: more pages than items can only mean a cursor that never moves
                    if (complete || b.pages > b.itemIds.size() / RESULTS_PAGE + 3) {
                        finish(b, outcome(b, complete));
                    } else {
                        readResults(b, response.headers().firstValue("Tagger-Next-Cursor").orElse(null));
                    }
                });
    }

    private Exchange outcome(Batch b, boolean logComplete) {
        List<String> errors = b.outcomes.itemErrors();
        String detail = null;
        if (!logComplete) {
            detail = "batch " + b.id + ": the results log did not end after " + b.pages + " pages";
        } else if (!b.outcomes.exactlyOnce()) {
            detail = "batch " + b.id + ": items not answered exactly once: " + errors.stream()
                    .filter(e -> e.startsWith("loadtest:")).distinct().toList();
        } else if (!errors.isEmpty()) {
            detail = "batch " + b.id + ": " + errors.size() + " of " + b.itemIds.size() + " items failed";
        }
        return new Exchange(name, 200, null, null, b.itemIds.size(), b.outcomes.tagged(), errors, Map.of(), detail);
    }

    private void finish(Batch b, Exchange e) {
        running.remove(b.id);
        b.result.complete(e);
    }

    private void later(Runnable step) {
        CompletableFuture.runAsync(step, CompletableFuture.delayedExecutor(options.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS));
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(options.requestTimeout());
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static String field(byte[] body, String name) {
        JsonNode v = parse(body).path(name);
        return v.isTextual() ? v.asText() : null;
    }
}
