package tagger.loadtest.measure;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in milliseconds, read from an HdrHistogram of microseconds: the usual
 * percentiles, the maximum, and a spectrum for plotting (up to p99.99).
 */
public record Percentiles(long count, double mean, double p50, double p90, double p95, double p99, double p999,
        double max, List<Point> spectrum) {

    /** One point of the percentile spectrum. */
    public record Point(double percentile, double millis) {
    }

    static final double[] SPECTRUM = {0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100};

    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0, 0, 0, List.of());

    /** Reads a histogram recorded in microseconds. */
    public static Percentiles of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        List<Point> spectrum = new ArrayList<>();
        for (double p : SPECTRUM) {
            spectrum.add(new Point(p, ms(micros.getValueAtPercentile(p))));
        }
        return new Percentiles(micros.getTotalCount(), round(micros.getMean() / 1000.0),
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), List.copyOf(spectrum));
    }

    /** The value at any percentile, e.g. 97.5, from a histogram of microseconds, in milliseconds. */
    public static double at(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? 0 : ms(percentile >= 100 ? micros.getMaxValue()
                : micros.getValueAtPercentile(percentile));
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }
}
