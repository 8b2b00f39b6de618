package tagger.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@code GET /v1/cluster} answer as the console tables of {@code ./tagger status}. */
final class StatusTable {
    private StatusTable() {
    }

    static String render(String url, JsonNode s) {
        StringBuilder out = new StringBuilder();
        long at = s.path("at").asLong();
        out.append("tagger at ").append(url).append(" — ").append(s.path("workersOnline").asInt())
                .append(" worker(s) online, ").append(s.path("apiServers").size()).append(" api-server(s)\n");
        for (String problem : List.of("queuesError", "presenceError")) {
            if (s.hasNonNull(problem)) {
                out.append("  ! ").append(s.path(problem).asText()).append('\n');
            }
        }

        List<String[]> workers = new ArrayList<>();
        workers.add(new String[] {"WORKER", "MODEL", "DEVICE", "IMG/S", "CAPACITY", "UTIL", "DUTY", "BATCH", "IN-FLIGHT", "UP"});
        for (JsonNode w : s.path("workers")) {
            workers.add(new String[] {w.path("id").asText(),
                    w.path("model").path("name").asText() + " " + w.path("model").path("version").asText(),
                    w.path("device").asText(), dec(w.path("imagesPerSecond")), dec(w.path("capacity")),
                    pct(w.path("utilisation")), pct(w.path("dutyCycle")), dec0(w.path("batchSizeP50")),
                    w.path("inFlight").asText(), since(at - w.path("startedAt").asLong())});
        }
        out.append('\n').append(workers.size() == 1 ? "no worker online\n" : table(workers, 3));

        List<String[]> queues = new ArrayList<>();
        queues.add(new String[] {"QUEUE", "READY", "CONSUMERS", "LIMIT"});
        s.path("queues").fields().forEachRemaining(e -> queues.add(new String[] {e.getKey(),
                e.getValue().path("messages").asText(), e.getValue().path("consumers").asText(),
                e.getValue().path("maxLength").isNumber() ? e.getValue().path("maxLength").asText() : "-"}));
        out.append('\n').append(table(queues, 1));

        List<String[]> apis = new ArrayList<>();
        apis.add(new String[] {"API-SERVER", "IN-FLIGHT", "WAITING"});
        for (JsonNode a : s.path("apiServers")) {
            apis.add(new String[] {a.path("id").asText(), a.path("inFlight").asText(), a.path("waiting").asText()});
        }
        out.append('\n').append(table(apis, 1));

        JsonNode t = s.path("throughput");
        out.append('\n').append(String.format(Locale.ROOT, "THROUGHPUT   %.1f img/s (real-time %.1f, bulk %.1f)%n",
                t.path("total").asDouble(), t.path("realtime").asDouble(), t.path("bulk").asDouble()));
        out.append("LATENCY      real-time ").append(latency(s.path("latency").path("realtime")))
                .append("; bulk ").append(latency(s.path("latency").path("bulk"))).append('\n');
        out.append("ERRORS       real-time ").append(errors(s.path("errors").path("realtime")))
                .append("; bulk ").append(errors(s.path("errors").path("bulk")))
                .append(String.format(Locale.ROOT, "  (last %.0f s)%n", s.path("windowSeconds").asDouble()));
        JsonNode cache = s.path("cache");
        out.append("CACHE        ").append(cache.path("hitRate").isNumber()
                ? String.format(Locale.ROOT, "hit rate %.0f%% (%d of %d lookups)", 100 * cache.path("hitRate").asDouble(),
                        cache.path("hits").asLong(), cache.path("lookups").asLong())
                : "no lookups").append('\n');

        JsonNode r = s.path("recommendation");
        out.append('\n').append("RECOMMENDED WORKERS  ").append(r.path("workers").asInt()).append(" (now ")
                .append(r.path("current").asInt()).append(")").append(decidedBy(r)).append('\n');
        out.append("  ").append(r.path("explanation").asText()).append('\n');
        out.append("  ").append(r.path("formula").asText()).append('\n');

        out.append('\n');
        if (s.path("migrations").isEmpty()) {
            out.append("MIGRATIONS   none running\n");
        } else {
            Map<String, JsonNode> plans = new HashMap<>();
            r.path("migrations").forEach(p -> plans.put(p.path("id").asText(), p));
            List<String[]> m = new ArrayList<>();
            m.add(new String[] {"MIGRATION", "STATUS", "TAGGED", "FAILED", "CANCELLED", "PENDING", "TOTAL", "IMG/S", "ETA",
                "PLANNED WITHIN"});
            for (JsonNode x : s.path("migrations")) {
                m.add(new String[] {x.path("id").asText(), x.path("status").asText(), x.path("tagged").asText(),
                        x.path("failed").asText(), x.path("cancelled").asText(), x.path("pending").asText(),
                        x.path("total").asText(), dec(x.path("imagesPerSecond")),
                        x.path("etaSeconds").isNumber() ? since(Math.round(x.path("etaSeconds").asDouble() * 1000)) : "-",
                        plan(plans.get(x.path("id").asText()))});
            }
            out.append(table(m, 2));
        }
        return out.toString();
    }

    /** Which term of the formula set the count, and what each asked for. */
    private static String decidedBy(JsonNode r) {
        if (!r.hasNonNull("decidedBy")) {
            return "";
        }
        List<String> terms = new ArrayList<>();
        r.path("terms").fields().forEachRemaining(e -> terms.add(e.getKey() + " " + e.getValue().asInt()));
        return " — set by " + r.path("decidedBy").asText() + (terms.isEmpty() ? "" : " (" + String.join(", ", terms) + ")");
    }

    /** "12m0s (deadline) → 20.0 img/s": the horizon the recommendation gave a migration and the rate it needs. */
    private static String plan(JsonNode p) {
        if (p == null) {
            return "-";
        }
        return since(Math.round(p.path("horizonSeconds").asDouble() * 1000)) + " (" + p.path("target").asText() + ") → "
                + dec(p.path("neededPerSecond")) + " img/s";
    }

    private static String latency(JsonNode l) {
        if (l.path("count").asLong() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms (%d answers)", l.path("p50Ms").asDouble(),
                l.path("p99Ms").asDouble(), l.path("count").asLong());
    }

    private static String errors(JsonNode byCode) {
        List<String> parts = new ArrayList<>();
        byCode.fields().forEachRemaining((Map.Entry<String, JsonNode> e) -> parts.add(e.getKey() + " " + e.getValue().asLong()));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** Left-aligns the first {@code leftColumns} columns, right-aligns the numbers after them. */
    static String table(List<String[]> rows, int leftColumns) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String cell = i < leftColumns ? String.format("%-" + width[i] + "s", r[i])
                        : String.format("%" + width[i] + "s", r[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String dec(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f", n.asDouble()) : "-";
    }

    private static String dec0(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.0f", n.asDouble()) : "-";
    }

    private static String pct(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.0f%%", n.asDouble() * 100) : "-";
    }

    static String since(long ms) {
        long s = Math.max(0, ms / 1000);
        return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
