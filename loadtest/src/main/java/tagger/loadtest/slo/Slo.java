package tagger.loadtest.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tagger.loadtest.DurationText;
import tagger.loadtest.measure.LevelResult;

/**
 * Service-level objectives a level must meet, written like {@code p99<800ms,errors<1%,goodput>=50}
 * (k6 thresholds, Gatling assertions). Latency terms use the coordinated-omission corrected
 * latency. A missed objective makes the run exit with {@code 99}, so CI can gate on it.
 */
public record Slo(List<Term> terms) {
    private static final Pattern TERM = Pattern.compile("\\s*(p\\d{1,3}(?:\\.\\d{1,4})?|max|mean|errors|goodput)\\s*"
            + "(<=|>=|<|>)\\s*(\\S+)\\s*", Pattern.CASE_INSENSITIVE);

    public static final Slo NONE = new Slo(List.of());

    /** What a term measures. */
    public enum Metric { PERCENTILE, MAX, MEAN, ERRORS, GOODPUT }

    /** One objective, e.g. p99 &lt; 800 ms; latencies in ms, errors as a fraction, goodput per second. */
    public record Term(String text, Metric metric, double percentile, String op, double limit) {

        boolean holds(double actual) {
            return switch (op) {
                case "<" -> actual < limit;
                case "<=" -> actual <= limit;
                case ">" -> actual > limit;
                default -> actual >= limit;
            };
        }

        boolean isLatency() {
            return metric == Metric.PERCENTILE || metric == Metric.MAX || metric == Metric.MEAN;
        }
    }

    public Slo {
        terms = List.copyOf(terms);
    }

    /** Parses a comma-separated list; every malformed term is reported at once with its text. */
    public static Slo parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Term> terms = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String raw : text.split(",")) {
            Matcher m = TERM.matcher(raw);
            if (!m.matches()) {
                problems.add("SLO term '" + raw.trim() + "' must look like p99<800ms, max<2s, mean<100ms, errors<1% or "
                        + "goodput>=50");
                continue;
            }
            try {
                terms.add(term(raw.trim(), m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3)));
            } catch (IllegalArgumentException e) {
                problems.add("SLO term '" + raw.trim() + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Slo(terms);
    }

    private static Term term(String text, String name, String op, String value) {
        switch (name) {
            case "errors":
                return new Term(text, Metric.ERRORS, 0, op, fraction(value));
            case "goodput":
                return new Term(text, Metric.GOODPUT, 0, op, rate(value));
            case "max":
                return new Term(text, Metric.MAX, 100, op, millis(value));
            case "mean":
                return new Term(text, Metric.MEAN, 0, op, millis(value));
            default:
                double p = Double.parseDouble(name.substring(1));
                if (!(p > 0 && p < 100)) {
                    throw new IllegalArgumentException("percentile must be between 0 and 100, got " + p);
                }
                return new Term(text, Metric.PERCENTILE, p, op, millis(value));
        }
    }

    private static double millis(String value) {
        return DurationText.parse(value).toNanos() / 1e6;
    }

    private static double fraction(String value) {
        try {
            double v = value.endsWith("%") ? Double.parseDouble(value.substring(0, value.length() - 1)) / 100
                    : Double.parseDouble(value);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("error share must be a percentage 0%..100% or a fraction 0..1, got '" + value + "'");
    }

    private static double rate(String value) {
        String v = value.endsWith("/s") ? value.substring(0, value.length() - 2) : value;
        try {
            double r = Double.parseDouble(v);
            if (r >= 0 && Double.isFinite(r)) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("goodput must be requests per second, e.g. 50 or 50/s, got '" + value + "'");
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /**
     * The latency an answer must beat to count toward goodput: the bound of the highest-percentile
     * latency term ({@code p99<800ms} → 800 ms), empty when the SLO has no latency term.
     */
    public Optional<Duration> latencyBound() {
        return terms.stream().filter(t -> t.metric() == Metric.PERCENTILE || t.metric() == Metric.MAX)
                .max(Comparator.comparingDouble(Term::percentile))
                .map(t -> Duration.ofNanos(Math.round(t.limit() * 1e6)));
    }

    /** Checks every term against a level. */
    public SloResult evaluate(LevelResult level) {
        List<SloResult.Check> checks = new ArrayList<>();
        org.HdrHistogram.Histogram latency = terms.stream().anyMatch(Term::isLatency) ? level.latencyHistogram() : null;
        for (Term t : terms) {
            double actual = switch (t.metric()) {
                case PERCENTILE -> tagger.loadtest.measure.Percentiles.at(latency, t.percentile());
                case MAX -> tagger.loadtest.measure.Percentiles.at(latency, 100);
                case MEAN -> latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1000.0;
                case ERRORS -> level.counts().errorShare();
                case GOODPUT -> level.throughput().goodput();
            };
            boolean noData = t.isLatency() && latency.getTotalCount() == 0;
            boolean held = !noData && t.holds(actual);
            checks.add(new SloResult.Check(t.text(), actual, held, describe(t, actual, held, noData)));
        }
        return new SloResult(checks.stream().allMatch(SloResult.Check::passed), checks);
    }

    private static String describe(Term t, double actual, boolean held, boolean noData) {
        if (noData) {
            return t.text() + ": no answers were measured, so it cannot hold";
        }
        String value = switch (t.metric()) {
            case ERRORS -> String.format(Locale.ROOT, "%.2f%%", actual * 100);
            case GOODPUT -> String.format(Locale.ROOT, "%.1f/s", actual);
            default -> String.format(Locale.ROOT, "%.1f ms", actual);
        };
        String name = t.text().replaceAll("\\s*(<=|>=|<|>).*", "");
        return name + " was " + value + ", objective " + t.text() + (held ? ": met" : ": MISSED");
    }
}
