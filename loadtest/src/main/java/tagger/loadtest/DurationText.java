package tagger.loadtest;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them on a command line: {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 800us}. */
public final class DurationText {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|µs|ms|s|m|h)");

    private DurationText() {
    }

    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("duration must be a number with unit us, ms, s, m or h (e.g. 250ms, 1.5s), got '"
                    + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        double nanosPerUnit = switch (m.group(2)) {
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        return Duration.ofNanos(Math.round(value * nanosPerUnit));
    }

    /** Compact form for reports: "800us", "250ms", "1.5s", "2m". */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 1_000_000 && nanos % 1_000 == 0) {
            return nanos / 1_000 + "us";
        }
        if (nanos < 1_000_000_000) {
            return trim(nanos / 1e6) + "ms";
        }
        if (nanos < 120_000_000_000L || nanos % 60_000_000_000L != 0) {
            return trim(nanos / 1e9) + "s";
        }
        return nanos / 60_000_000_000L + "m";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }
}
