package tagger.launcher.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** A set of measurements, sorted, with nearest-rank percentiles. */
final class Sample {
    private final double[] sorted;

    private Sample(double[] sorted) {
        this.sorted = sorted;
    }

    static Sample of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static Sample of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a sample needs at least one value, got none");
        }
        double[] copy = values.clone();
        Arrays.sort(copy);
        return new Sample(copy);
    }

    int size() {
        return sorted.length;
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p} percent of the
     * sample at or below it (p50 of three values is the middle one, p99 of 100 the 99th).
     */
    double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    double median() {
        return percentile(50);
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    /** The median and, when there is more than one value, the range: {@code "0.93 (0.91-0.95)"}. */
    String medianAndRange(String format) {
        String median = String.format(Locale.ROOT, format, median());
        if (sorted.length == 1) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, format, min()) + "-"
                + String.format(Locale.ROOT, format, max()) + ")";
    }
}
