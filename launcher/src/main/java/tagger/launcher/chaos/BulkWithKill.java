package tagger.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tagger.common.Json;
import tagger.launcher.bulk.BatchClient;

/**
 * The bulk experiment: a batch of unique photos, one worker killed (SIGKILL) once a quarter of it has
 * its outcome; then every item must have exactly one outcome, for its own URL.
 */
final class BulkWithKill {
    private BulkWithKill() {
    }

    /** A batch of unique images; one worker is killed once a quarter of it is done; every item must have one outcome. */
    static void run(ChaosStack stack, int n, Marks marks, String tag) throws Exception {
        Map<String, String> urlById = new HashMap<>();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String url = stack.imageUrl(ChaosStack.BULK_PHOTO, tag, i);
            urls.add(url);
            urlById.put("item-" + i, url);
        }
        BatchClient batches = new BatchClient(stack.url());
        BatchClient.Answer a = batches.submit(ndjson(urls), "application/x-ndjson", null, null);
        marks.bulkItems = n;
        if (a.status() != 202) {
            marks.miss("the batch was not accepted: " + a.status() + " " + a.raw().body());
            marks.bulkLost = n;
            return;
        }
        String id = a.body().path("batchId").asText();
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode status = batches.status(id).body();
        while (done(status) < n / 4 && !status.path("complete").asBoolean() && System.nanoTime() < until) {
            Thread.sleep(100);
            status = batches.status(id).body();
        }
        long doneAtKill = done(status);
        marks.faultAt = System.nanoTime();
        marks.note("killed " + stack.stack.killWorker() + " with " + doneAtKill + " of " + n + " items done");
        if (doneAtKill >= n) {
            marks.miss("the batch finished before the kill: make it larger (--bulk-items)");
        }
        while (!status.path("complete").asBoolean() && System.nanoTime() < until) {
            Thread.sleep(200);
            status = batches.status(id).body();
        }
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        int wrong = 0;
        String cursor = null;
        while (true) {
            BatchClient.Page page = batches.results(id, cursor, 1_000);
            for (String line : page.lines()) {
                JsonNode o = Json.MAPPER.readTree(line);
                String item = o.path("id").asText();
                if (!seen.add(item)) {
                    duplicates++;
                }
                boolean ok = urlById.containsKey(item) && urlById.get(item).equals(o.path("url").asText())
                        && o.path("tags").isArray() && !o.path("tags").isEmpty();
                wrong += ok ? 0 : 1;
            }
            if (page.complete() || page.lines().isEmpty()) {
                break;
            }
            cursor = page.next();
        }
        if (!status.path("complete").asBoolean()) {
            marks.miss("the batch was not complete 5 minutes after it was accepted: " + status);
        }
        marks.bulkLost = n - seen.size();
        marks.bulkDuplicates = duplicates;
        marks.bulkWrong = wrong;
        marks.note("batch " + status.path("status").asText() + ": " + seen.size() + " of " + n + " items with an outcome, "
                + status.path("done").asLong() + " done, " + status.path("failed").asLong() + " failed (counters)");
        if (status.path("done").asLong() + status.path("failed").asLong() != n) {
            marks.miss("batch counters done + failed = " + (status.path("done").asLong() + status.path("failed").asLong())
                    + ", not " + n);
        }
    }

    private static long done(JsonNode status) {
        return status == null ? 0 : status.path("done").asLong() + status.path("failed").asLong();
    }

    /** One NDJSON line per URL, ids {@code item-0}, {@code item-1}, ... */
    static byte[] ndjson(List<String> urls) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < urls.size(); i++) {
            sb.append(Json.write(Map.of("id", "item-" + i, "url", urls.get(i)))).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

}
