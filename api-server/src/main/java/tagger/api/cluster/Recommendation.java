package tagger.api.cluster;

import java.util.List;
import java.util.Map;

/**
 * The worker count to recommend: enough to take the arrivals and work off the backlog within the
 * drain target, and to clear the real-time backlog within its queue SLO, at the planned
 * utilisation of the measured per-worker rate.
 *
 * <pre>
 *   workers = max(minWorkers, ceil((λ + B / T) / (ρ · r)), ceil((λrt + Brt / S) / (ρ · r)))
 * </pre>
 * B backlog (ready messages, all classes), λ arrival rate (img/s), T drain target, S real-time
 * queue SLO, ρ target utilisation, r per-worker rate. r is measured: while a backlog exists every
 * worker pulls as fast as it can, so the mean observed img/s is its capacity; without a backlog it
 * is estimated as img/s ÷ utilisation of the worker's bottleneck stage (inference or decode).
 */
final class Recommendation {
    static final String FORMULA = "workers = max(minWorkers, ceil((λ + B/T) / (ρ·r)), ceil((λrt + Brt/S) / (ρ·r)))";
    /** Below this utilisation a worker is too idle for img/s ÷ utilisation to mean anything. */
    static final double MIN_UTILISATION_TO_ESTIMATE = 0.05;

    private Recommendation() {
    }

    /** What one worker measured over its window. */
    record Rate(double imagesPerSecond, double utilisation) {
    }

    /**
     * @param backlogRealtime / backlogBulk ready messages per queue
     * @param arrivalRealtime / arrivalBulk images per second entering each queue
     */
    record Inputs(List<Rate> workers, long backlogRealtime, long backlogBulk, double arrivalRealtime,
            double arrivalBulk) {
    }

    /**
     * The recommendation with every number it was computed from.
     *
     * @param workers                  recommended worker count
     * @param current                  workers online now
     * @param perWorkerImagesPerSecond r, or null when no worker measured anything yet
     * @param basis                    how r was obtained
     * @param currentDrainSeconds      time the current workers need for the backlog at ρ, or null when
     *                                 they cannot (arrivals outpace them, or nothing is measured)
     */
    record Advice(int workers, int current, Double perWorkerImagesPerSecond, String basis,
            Map<String, Long> backlog, Map<String, Double> arrival, double targetDrainSeconds,
            double realtimeQueueSloSeconds, double targetUtilisation, int minWorkers, Double currentDrainSeconds,
            String formula, String explanation) {
    }

    static Advice advise(Inputs in, ClusterConfig config) {
        int current = in.workers().size();
        long backlog = in.backlogRealtime() + in.backlogBulk();
        double arrival = in.arrivalRealtime() + in.arrivalBulk();
        double t = config.drainTarget().toMillis() / 1000.0;
        double s = config.realtimeQueueSlo().toMillis() / 1000.0;
        double rho = config.targetUtilisation();
        Double r = null;
        String basis;
        if (current > 0 && backlog > 0) {
            r = in.workers().stream().mapToDouble(Rate::imagesPerSecond).average().orElse(0);
            basis = "measured: mean img/s of the " + current + " worker(s) while a backlog kept them busy";
        } else {
            List<Rate> busy = in.workers().stream().filter(w -> w.utilisation() >= MIN_UTILISATION_TO_ESTIMATE).toList();
            if (!busy.isEmpty()) {
                r = busy.stream().mapToDouble(w -> w.imagesPerSecond() / w.utilisation()).average().orElse(0);
                basis = "estimated: img/s ÷ utilisation of the bottleneck stage, mean of " + busy.size() + " worker(s)";
            } else {
                basis = current == 0 ? "unknown: no worker online to measure"
                        : "unknown: the workers are too idle to measure (utilisation < " + MIN_UTILISATION_TO_ESTIMATE + ")";
            }
        }
        if (r != null && r <= 0) {
            r = null;
            basis = "unknown: the workers answered nothing during the window";
        }
        Map<String, Long> backlogs = Map.of("realtime", in.backlogRealtime(), "bulk", in.backlogBulk());
        Map<String, Double> arrivals = Map.of("realtime", round(in.arrivalRealtime()), "bulk", round(in.arrivalBulk()));
        if (r == null) {
            // nothing to divide by: keep what runs, and at least one worker when there is work
            int n = Math.max(config.minWorkers(), (backlog > 0 || arrival > 0) ? Math.max(1, current) : current);
            return new Advice(n, current, null, basis, backlogs, arrivals, t, s, rho, config.minWorkers(), null, FORMULA,
                    "per-worker rate unknown (" + basis + "); keeping " + n);
        }
        double capacity = rho * r;
        int forDrain = (int) Math.ceil((arrival + backlog / t) / capacity - 1e-9);
        int forRealtime = (int) Math.ceil((in.arrivalRealtime() + in.backlogRealtime() / s) / capacity - 1e-9);
        int n = Math.max(config.minWorkers(), Math.max(forDrain, forRealtime));
        double spare = current * capacity - arrival;
        Double drain = backlog == 0 ? Double.valueOf(0) : spare > 0 ? Double.valueOf(round(backlog / spare)) : null;
        String explanation = String.format(java.util.Locale.ROOT,
                "r=%.1f img/s per worker, planned at ρ=%.2f → %.1f img/s each; backlog %d + arrivals %.1f img/s "
                        + "need %d worker(s) to drain within %.0f s, real-time (backlog %d, %.1f img/s) needs %d "
                        + "within %.1f s",
                r, rho, capacity, backlog, arrival, forDrain, t, in.backlogRealtime(), in.arrivalRealtime(),
                forRealtime, s);
        return new Advice(n, current, round(r), basis, backlogs, arrivals, t, s, rho, config.minWorkers(), drain,
                FORMULA, explanation);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
