package tagger.loadtest.schedule;

import java.util.Locale;

/** How requests are spread in time at a given rate: evenly, or as a Poisson process. */
public enum Arrivals {
    /** One request every 1/rate seconds (wrk2, k6 constant-arrival-rate). */
    CONSTANT,
    /**
     * Exponential gaps with mean 1/rate: independent users arriving at random, which is how real
     * traffic bunches up (perf_analyzer, MLPerf Server).
     */
    POISSON;

    public static Arrivals parse(String text) {
        for (Arrivals a : values()) {
            if (a.name().equalsIgnoreCase(text.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("arrivals must be constant or poisson, got '" + text + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
