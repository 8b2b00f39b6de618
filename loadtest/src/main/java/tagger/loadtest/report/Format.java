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
}
