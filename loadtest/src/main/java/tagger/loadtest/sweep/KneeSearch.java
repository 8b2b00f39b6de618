package tagger.loadtest.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Finds the knee: the highest open-loop rate whose level still meets the SLO (perf_analyzer's
 * latency-bounded search, MLPerf's FindPeakPerformance). Doubles the rate from {@code start} until a
 * level misses, then bisects between the last pass and the first miss {@code refinements} times.
 * A level the generator could not drive honestly ends the search: beyond it, nothing is known.
 */
public final class KneeSearch {
    private KneeSearch() {
    }

    /** Runs one level at a rate. */
    public interface Probe {
        Verdict run(double rate) throws InterruptedException;
    }

    /** What a level said: whether it met the SLO, whether the generator kept up. */
    public record Verdict(boolean passed, boolean valid) {
    }

    /**
     * The search's outcome.
     *
     * @param knee  the highest passing rate, empty when even the start rate missed
     * @param rates every rate tried, in order
     * @param note  how the search ended, in words
     */
    public record Result(OptionalDouble knee, List<Double> rates, String note) {
    }

    /**
     * @param goal what a level must meet, for the notes: "the SLO", or "the schedule" when measuring
     *             the generator itself
     */
    public static Result search(double start, double max, int refinements, String goal, Probe probe)
            throws InterruptedException {
        if (!(start > 0) || !(max >= start)) {
            throw new IllegalArgumentException("knee search needs 0 < start rate <= max rate, got " + start + " and " + max);
        }
        List<Double> tried = new ArrayList<>();
        double pass = Double.NaN;
        double fail = Double.NaN;
        double rate = start;
        while (true) {
            tried.add(rate);
            Verdict v = probe.run(rate);
            if (!v.valid()) {
                return new Result(optional(pass), tried, String.format(Locale.ROOT,
                        "stopped at %s/s: the generator could not keep that schedule, so higher rates cannot be measured "
                                + "here", fmt(rate)));
            }
            if (!v.passed()) {
                fail = rate;
                break;
            }
            pass = rate;
            if (rate >= max) {
                return new Result(optional(pass), tried, goal + " held up to the maximum rate " + fmt(max) + "/s");
            }
            rate = Math.min(rate * 2, max);
        }
        if (Double.isNaN(pass)) {
            return new Result(OptionalDouble.empty(), tried, goal + " was missed already at the start rate " + fmt(start)
                    + "/s; start lower");
        }
        for (int i = 0; i < refinements; i++) {
            double mid = (pass + fail) / 2;
            tried.add(mid);
            Verdict v = probe.run(mid);
            if (!v.valid()) {
                return new Result(optional(pass), tried, "stopped refining at " + fmt(mid)
                        + "/s: the generator could not keep that schedule");
            }
            if (v.passed()) {
                pass = mid;
            } else {
                fail = mid;
            }
        }
        return new Result(optional(pass), tried, String.format(Locale.ROOT,
                "knee between %s/s (met) and %s/s (missed)", fmt(pass), fmt(fail)));
    }

    private static OptionalDouble optional(double v) {
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
    }
}
