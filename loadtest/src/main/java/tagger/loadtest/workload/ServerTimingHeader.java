package tagger.loadtest.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a W3C {@code Server-Timing} header ({@code download;dur=12.5, queue;dur=3, total;dur=40})
 * into stage → milliseconds. Metrics without {@code dur} and malformed entries are skipped, never
 * fatal: a load test must not stop because a server's header is odd.
 */
public final class ServerTimingHeader {
    /** A hostile or buggy server must not make the recorder keep unbounded stage names. */
    static final int MAX_STAGES = 16;
    /** An RFC 7230 token, the syntax of a metric name. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.!#$%&'*+^`|~-]{1,40}");

    private ServerTimingHeader() {
    }

    public static Map<String, Double> parse(String header) {
        Map<String, Double> stages = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return stages;
        }
        for (String metric : header.split(",")) {
            String[] parts = metric.split(";");
            String name = parts[0].trim();
            if (!NAME.matcher(name).matches()) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                int eq = param.indexOf('=');
                if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("dur")) {
                    try {
                        double ms = Double.parseDouble(param.substring(eq + 1).trim().replace("\"", ""));
                        if (Double.isFinite(ms) && ms >= 0 && stages.size() < MAX_STAGES) {
                            stages.put(name, ms);
                        }
                    } catch (NumberFormatException e) {
                        // not a duration: skip this metric
                    }
                }
            }
        }
        return stages;
    }
}
