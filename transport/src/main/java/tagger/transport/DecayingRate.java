package tagger.transport;

/**
 * Items per second over the recent past, kept in O(1) state: an exponentially decaying count of
 * events divided by its time constant. An event at age {@code a} weighs {@code exp(-a/tau)}, so a
 * steady rate {@code r} converges to {@code r}; reading early is corrected for the short history
 * (as Adam corrects its moment estimates), so a batch shows its real rate from the first second.
 *
 * <p>The Redis store keeps the same two numbers in the batch hash and updates them in Lua with the
 * same formula ({@link #add}); readers decay them to "now" with {@link Snapshot#perSecond}.
 */
public final class DecayingRate {
    /** Long enough to smooth batch-by-batch bursts, short enough to follow a worker being added. */
    public static final long TAU_MS = 30_000;
    static final long MIN_HISTORY_MS = 1_000;

    private DecayingRate() {
    }

    /**
     * The decayed sum after one more event at {@code nowMs}.
     *
     * @param value  the sum as of {@code atMs}, in events per second
     */
    public static double add(double value, long atMs, long nowMs, long tauMs) {
        long dt = Math.max(0, nowMs - atMs);
        return value * Math.exp(-(double) dt / tauMs) + 1000.0 / tauMs;
    }

    /**
     * The stored state: the sum as of {@code atMs} and when the first event came ({@code firstMs}, 0 if
     * none yet).
     */
    public record Snapshot(double value, long atMs, long firstMs) {
        public static final Snapshot NONE = new Snapshot(0, 0, 0);

        /** Events per second around {@code nowMs}; 0 before the first event. */
        public double perSecond(long nowMs, long tauMs) {
            if (firstMs <= 0 || value <= 0) {
                return 0;
            }
            double decayed = value * Math.exp(-(double) Math.max(0, nowMs - atMs) / tauMs);
            // the sum of a steady rate r over a history of length h is r * (1 - exp(-h/tau)); the history
            // is at least a second, so that the first few events don't read as thousands per second
            long history = Math.max(MIN_HISTORY_MS, atMs - firstMs);
            double coverage = 1 - Math.exp(-(double) history / tauMs);
            return decayed / Math.max(coverage, 1e-9);
        }
    }
}
