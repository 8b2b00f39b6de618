package tagger.loadtest.schedule;

/**
 * The offered request rate over one level: constant, or a linear ramp from {@code from} to
 * {@code to} requests per second.
 */
public record RateShape(double from, double to) {

    public RateShape {
        if (!(from >= 0) || !(to >= 0) || !Double.isFinite(from) || !Double.isFinite(to)) {
            throw new IllegalArgumentException("rates must be finite and >= 0, got " + from + " and " + to);
        }
        if (from == 0 && to == 0) {
            throw new IllegalArgumentException("a rate shape needs a rate above 0, got 0 to 0");
        }
    }

    public static RateShape constant(double rate) {
        return new RateShape(rate, rate);
    }

    public boolean isRamp() {
        return from != to;
    }

    /** The mean rate over a level of {@code seconds}. */
    public double mean() {
        return (from + to) / 2;
    }

    /**
     * The time (seconds from the level start) by which {@code expected} requests are due, i.e. the
     * inverse of the cumulative rate Λ(t) = from·t + (to − from)·t² / (2·seconds). Arrivals are
     * generated at unit rate and mapped through this function, so a ramp and a constant rate share
     * one generator (a time-changed Poisson process stays Poisson).
     */
    public double timeOf(double expected, double seconds) {
        if (from == to) {
            return expected / from;
        }
        double c = (to - from) / (2 * seconds);
        // c·t² + from·t − expected = 0, the root in [0, seconds]; this form stays exact when from = 0
        return 2 * expected / (from + Math.sqrt(from * from + 4 * c * expected));
    }

    /** How many requests are due over a level of {@code seconds}. */
    public double expectedCount(double seconds) {
        return mean() * seconds;
    }

    @Override
    public String toString() {
        return isRamp() ? fmt(from) + "→" + fmt(to) + "/s" : fmt(from) + "/s";
    }

    private static String fmt(double r) {
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(java.util.Locale.ROOT, "%.2f", r);
    }
}
