package tagger.loadtest.report;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How numbers look in the console, CSV and HTML reports. */
final class Format {
    private Format() {
    }

    /** Milliseconds with sensible precision: 0.412, 12.3, 1234. */
    static String ms(double ms) {
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.2f", ms);
    }

    static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    static String money(double dollars) {
        return dollars >= 100 ? String.format(Locale.ROOT, "$%.0f", dollars) : String.format(Locale.ROOT, "$%.3f", dollars);
    }

    /** Plain CSV/JSON-friendly number: no grouping, dot decimal. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v)
                .replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** {@code 200×1203, 422×3} */
    static String counts(Map<String, Long> counts) {
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Sum of the counts whose key starts with {@code prefix}. */
    static long sum(Map<String, Long> counts, String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    /** The bulk batches beside a level, in one line: "2 batches of 100 beside it: 412 items/s, ...". */
    static String bulkBackground(tagger.loadtest.measure.BulkBackground b) {
        return String.format(java.util.Locale.ROOT, "%d batch%s of %d beside it: %s items/s, %d completed (%d fully "
                        + "tagged), completion p50 %s ms p99 %s ms%s%s", b.batches(), b.batches() == 1 ? "" : "es",
                b.batchSize(), rate(b.itemsPerSecond()), b.batchesCompleted(), b.batchesSucceeded(), ms(b.completion().p50()),
                ms(b.completion().p99()), b.itemErrors().isEmpty() ? "" : ", item errors " + counts(b.itemErrors()),
                b.cancelledAtEnd() == 0 ? "" : ", " + b.cancelledAtEnd() + " cancelled at the end");
    }
}
