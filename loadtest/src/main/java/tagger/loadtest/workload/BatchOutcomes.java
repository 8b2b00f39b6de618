package tagger.loadtest.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tagger.common.Json;

/**
 * Checks a finished batch's results log against what was submitted: every item must come back
 * exactly once, with tags or an error. A duplicate, a missing item or an outcome for an id that was
 * never sent is reported as an item error of its own ({@code loadtest:duplicate},
 * {@code loadtest:missing}, {@code loadtest:unknown-id}), so a broken exactly-once promise shows in
 * the error breakdown instead of hiding in an average.
 */
final class BatchOutcomes {
    static final String DUPLICATE = "loadtest:duplicate";
    static final String MISSING = "loadtest:missing";
    static final String UNKNOWN = "loadtest:unknown-id";
    static final String UNREADABLE = "loadtest:unreadable";

    private final Set<String> submitted;
    private final Map<String, Integer> seen = new HashMap<>();
    private final List<String> errors = new ArrayList<>();
    private int tagged;

    BatchOutcomes(Set<String> submitted) {
        this.submitted = Set.copyOf(submitted);
    }

    /** Reads one NDJSON page of {@code GET /v1/batches/{id}/results}. */
    void addPage(String ndjson) {
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                add(line);
            }
        }
    }

    private void add(String line) {
        JsonNode item;
        try {
            item = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            errors.add(UNREADABLE);
            return;
        }
        String id = item.path("id").asText(null);
        if (id == null || !submitted.contains(id)) {
            errors.add(UNKNOWN);
            return;
        }
        if (seen.merge(id, 1, Integer::sum) > 1) {
            errors.add(DUPLICATE);
            return;
        }
        if (item.has("tags") && !item.has("error")) {
            tagged++;
        } else {
            errors.add(item.path("error").path("code").asText("unknown"));
        }
    }

    /** Items that came back with tags, each counted once. */
    int tagged() {
        return tagged;
    }

    /** Error codes of the items without tags, then one {@link #MISSING} per item that never came back. */
    List<String> itemErrors() {
        List<String> all = new ArrayList<>(errors);
        for (String id : submitted) {
            if (!seen.containsKey(id)) {
                all.add(MISSING);
            }
        }
        return all;
    }

    /** Whether every submitted item came back exactly once and nothing else did. */
    boolean exactlyOnce() {
        return seen.size() == submitted.size() && seen.values().stream().allMatch(n -> n == 1)
                && !errors.contains(UNKNOWN) && !errors.contains(UNREADABLE);
    }
}
