package tagger.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** Renders tag results as a fixed-width console table. */
final class ResultTable {
    private ResultTable() {
    }

    /** One image's line: its name, how it was sent, top tags (or the error) and stage times. */
    record Row(String image, String source, String tags, JsonNode timings) {
        static Row of(String image, String source, JsonNode result) {
            String tags;
            if (result == null || result.isMissingNode()) {
                tags = "(no result)";
            } else if (result.has("error")) {
                tags = "error " + result.path("error").path("code").asText() + ": "
                        + result.path("error").path("message").asText();
            } else {
                StringBuilder sb = new StringBuilder();
                for (JsonNode t : result.path("tags")) {
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(t.path("label").asText()).append(' ')
                            .append(String.format(Locale.ROOT, "%.2f", t.path("score").asDouble()));
                }
                tags = sb.toString();
            }
            return new Row(image, source, tags, result == null ? null : result.path("timings"));
        }
    }

    static String render(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-12s %-7s %-40s %9s %7s %7s %6s %9s %7s %6s%n", "IMAGE", "SOURCE",
                "TOP TAGS", "DOWNLOAD", "QUEUE", "PREPROC", "BATCH", "INFERENCE", "TOTAL", "BATCH#");
        sb.append(header);
        sb.append("-".repeat(header.length() - 1)).append('\n');
        for (Row r : rows) {
            JsonNode t = r.timings();
            String tags = r.tags().length() > 40 ? r.tags().substring(0, 37) + "..." : r.tags();
            sb.append(String.format(Locale.ROOT, "%-12s %-7s %-40s %9s %7s %7s %6s %9s %7s %6s%n", r.image(),
                    r.source(), tags, ms(t, "download"), ms(t, "queue"), ms(t, "preprocess"), ms(t, "batchWait"),
                    ms(t, "inference"), ms(t, "total"), t == null || t.isMissingNode() ? "-" : t.path("batchSize").asText()));
        }
        sb.append("(times in ms; BATCH = wait for batch mates, BATCH# = images in the same inference call)");
        return sb.toString();
    }

    private static String ms(JsonNode t, String field) {
        if (t == null || t.isMissingNode() || !t.has(field)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f", t.path(field).asDouble());
    }
}
