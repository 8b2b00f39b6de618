package tagger.api.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The worker count to recommend: enough to take the real-time arrivals, work off the real-time
 * backlog within the drain target and finish every running migration by its target, and — on its
 * own — to clear the real-time backlog within its queue SLO, at the planned utilisation of the
 * measured per-worker rate.
 *
 * <pre>
 *   workers = max(minWorkers, ceil((λrt + Brt/T + Σb Pb/hb + B⁺/T) / (ρ·r)), ceil((λrt + Brt/S) / (ρ·r)))
 * </pre>
 * Pb items of migration b without an outcome yet, hb its horizon: time left to its deadline (at
 * least {@link #MIN_HORIZON_SECONDS}), or T when it named none; B⁺ bulk messages beyond the
 * migrations' pending items; λrt real-time arrivals (img/s); Brt ready real-time messages; T drain
 * target; S real-time queue SLO; ρ target utilisation; r per-worker rate. r is measured: while a
 * backlog exists every worker pulls as fast as it can, so the mean observed img/s is its capacity;
 * without a backlog it is estimated as img/s ÷ utilisation of the worker's bottleneck stage.
 *
 * <p>The real-time SLO term is computed from real-time figures alone: bulk work never raises it and
 * never lowers it. When the migrations cannot be read, the bulk queue stands in for them
 * ({@link #QUEUE_FORMULA}: bulk arrivals plus ready bulk messages over T).
 */
final class Recommendation {
    static final String FORMULA = "workers = max(minWorkers, ceil((λrt + Brt/T + Σb Pb/hb + B⁺/T) / (ρ·r)), "
            + "ceil((λrt + Brt/S) / (ρ·r)))";
    static final String QUEUE_FORMULA = "workers = max(minWorkers, ceil((λ + B/T) / (ρ·r)), ceil((λrt + Brt/S) / (ρ·r)))";
    /** Below this utilisation a worker is too idle for img/s ÷ utilisation to mean anything. */
    static final double MIN_UTILISATION_TO_ESTIMATE = 0.05;
    /** Shortest horizon a migration is planned over: an overdue batch asks to be finished this soon, not now. */
    static final double MIN_HORIZON_SECONDS = 10;
    /** Names of the three terms, as {@link Advice#terms()} and {@link Advice#decidedBy()} give them. */
    static final String MIN_TERM = "minWorkers";
    static final String DRAIN_TERM = "drainAndMigrations";
    static final String REALTIME_TERM = "realtimeSlo";

    private Recommendation() {
    }

    /** What one worker measured over its window. */
    record Rate(double imagesPerSecond, double utilisation) {
    }

    /** A running migration: items without an outcome yet, and when its client wants it finished (epoch ms, 0: no target). */
    record Migration(String id, long pending, long deadlineAt) {
    }

    /**
     * @param backlogRealtime / backlogBulk ready messages per queue
     * @param arrivalRealtime / arrivalBulk images per second entering each queue
     * @param migrations      the running migrations; null when they could not be read
     * @param nowMs           the time the deadlines are measured from
     */
    record Inputs(List<Rate> workers, long backlogRealtime, long backlogBulk, double arrivalRealtime,
            double arrivalBulk, List<Migration> migrations, long nowMs) {

        /** Without migrations: the bulk queue is all that is known of bulk work. */
        Inputs(List<Rate> workers, long backlogRealtime, long backlogBulk, double arrivalRealtime, double arrivalBulk) {
            this(workers, backlogRealtime, backlogBulk, arrivalRealtime, arrivalBulk, null, 0);
        }
    }

    /**
     * How one migration was planned.
     *
     * @param horizonSeconds      hb: the time it is planned to finish within
     * @param target              "deadline", "overdue" (planned over {@link #MIN_HORIZON_SECONDS}) or "drain
     *                            target" (it named none)
     * @param neededPerSecond     Pb / hb
     */
    record MigrationPlan(String id, long pending, double horizonSeconds, String target, double neededPerSecond) {
    }

    /**
     * The recommendation with every number it was computed from.
     *
     * @param workers                  recommended worker count
     * @param current                  workers online now
     * @param perWorkerImagesPerSecond r, or null when no worker measured anything yet
     * @param basis                    how r was obtained
     * @param terms                    the worker count each term of the formula asks for (empty when r is unknown)
     * @param decidedBy                the term that set {@code workers}: {@value #MIN_TERM}, {@value #DRAIN_TERM},
     *                                 {@value #REALTIME_TERM}, or "unknownRate"
     * @param migrations               how each running migration was planned (empty when they could not be read)
     * @param currentDrainSeconds      time the current workers need for the backlog at ρ, or null when
     *                                 they cannot (arrivals outpace them, or nothing is measured)
     */
    record Advice(int workers, int current, Double perWorkerImagesPerSecond, String basis,
            Map<String, Long> backlog, Map<String, Double> arrival, double targetDrainSeconds,
            double realtimeQueueSloSeconds, double targetUtilisation, int minWorkers, Double currentDrainSeconds,
            Map<String, Integer> terms, String decidedBy, List<MigrationPlan> migrations, String formula,
            String explanation) {
    }

    static Advice advise(Inputs in, ClusterConfig config) {
        int current = in.workers().size();
        double t = config.drainTarget().toMillis() / 1000.0;
        double s = config.realtimeQueueSlo().toMillis() / 1000.0;
        double rho = config.targetUtilisation();
        boolean known = in.migrations() != null;
        List<MigrationPlan> plans = known ? plan(in.migrations(), in.nowMs(), t) : List.of();
        long pending = plans.stream().mapToLong(MigrationPlan::pending).sum();
        long bulkBacklog = known ? Math.max(in.backlogBulk(), pending) : in.backlogBulk();
        long backlog = in.backlogRealtime() + bulkBacklog;
        // with migrations known, bulk arrivals are their pending items (already counted), not extra work
        double arrival = in.arrivalRealtime() + (known ? 0 : in.arrivalBulk());
        double bulkDemand = known
                ? in.migrations().stream().mapToDouble(m -> m.pending() / horizon(m, in.nowMs(), t)).sum()
                        + Math.max(0, in.backlogBulk() - pending) / t
                : in.arrivalBulk() + in.backlogBulk() / t;
        Map<String, Long> backlogs = new LinkedHashMap<>();
        backlogs.put("realtime", in.backlogRealtime());
        backlogs.put("bulk", in.backlogBulk());
        backlogs.put("migrationsPending", pending);
        Map<String, Double> arrivals = Map.of("realtime", round(in.arrivalRealtime()), "bulk", round(in.arrivalBulk()));
        String formula = known ? FORMULA : QUEUE_FORMULA;

        Double r = null;
        String basis;
        if (current > 0 && in.backlogRealtime() + in.backlogBulk() > 0) {
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
        if (r == null) {
            // nothing to divide by: keep what runs, and at least one worker when there is work
            int n = Math.max(config.minWorkers(), (backlog > 0 || arrival > 0) ? Math.max(1, current) : current);
            return new Advice(n, current, null, basis, backlogs, arrivals, t, s, rho, config.minWorkers(), null,
                    Map.of(), "unknownRate", plans, formula, "per-worker rate unknown (" + basis + "); keeping " + n);
        }
        double capacity = rho * r;
        double realtimeDemand = in.arrivalRealtime() + in.backlogRealtime() / t;
        int forDrain = workersFor(realtimeDemand + bulkDemand, capacity);
        int forRealtime = workersFor(in.arrivalRealtime() + in.backlogRealtime() / s, capacity);
        int n = Math.max(config.minWorkers(), Math.max(forDrain, forRealtime));
        Map<String, Integer> terms = new LinkedHashMap<>();
        terms.put(MIN_TERM, config.minWorkers());
        terms.put(DRAIN_TERM, forDrain);
        terms.put(REALTIME_TERM, forRealtime);
        // ties go to the real-time SLO, then to the work: the floor decides only when nothing else asks as much
        String decidedBy = forRealtime == n ? REALTIME_TERM : forDrain == n ? DRAIN_TERM : MIN_TERM;
        double spare = current * capacity - arrival;
        Double drain = backlog == 0 ? Double.valueOf(0) : spare > 0 ? Double.valueOf(round(backlog / spare)) : null;
        String explanation = String.format(Locale.ROOT,
                "r=%.1f img/s per worker, planned at ρ=%.2f → %.1f img/s each; real-time %.1f img/s + backlog %d "
                        + "within %.0f s, and %s: %.1f img/s, need %d worker(s); real-time SLO (backlog %d, "
                        + "%.1f img/s within %.1f s) needs %d; floor %d → %d, set by %s",
                r, rho, capacity, in.arrivalRealtime(), in.backlogRealtime(), t, bulkText(known, plans, in, t),
                realtimeDemand + bulkDemand, forDrain, in.backlogRealtime(), in.arrivalRealtime(), s, forRealtime,
                config.minWorkers(), n, decidedBy);
        return new Advice(n, current, round(r), basis, backlogs, arrivals, t, s, rho, config.minWorkers(), drain,
                terms, decidedBy, plans, formula, explanation);
    }

    /** Each migration's horizon and the rate it needs to finish within it. */
    static List<MigrationPlan> plan(List<Migration> migrations, long nowMs, double drainTargetSeconds) {
        List<MigrationPlan> plans = new ArrayList<>();
        for (Migration m : migrations) {
            double horizon = horizon(m, nowMs, drainTargetSeconds);
            String target = m.deadlineAt() <= 0 ? "drain target" : m.deadlineAt() <= nowMs ? "overdue" : "deadline";
            plans.add(new MigrationPlan(m.id(), m.pending(), round(horizon), target, round(m.pending() / horizon)));
        }
        return plans;
    }

    /** hb: time left to the migration's deadline, at least {@link #MIN_HORIZON_SECONDS}; T when it has none. */
    private static double horizon(Migration m, long nowMs, double drainTargetSeconds) {
        return m.deadlineAt() <= 0 ? drainTargetSeconds
                : Math.max((m.deadlineAt() - nowMs) / 1000.0, MIN_HORIZON_SECONDS);
    }

    private static String bulkText(boolean known, List<MigrationPlan> plans, Inputs in, double t) {
        if (!known) {
            return String.format(Locale.ROOT, "bulk %.1f img/s + backlog %d within %.0f s (migrations unknown)",
                    in.arrivalBulk(), in.backlogBulk(), t);
        }
        long onTime = plans.stream().filter(p -> !p.target().equals("drain target")).count();
        return String.format(Locale.ROOT, "%d migration(s) with %d pending (%d by their own target, the rest within "
                + "%.0f s)", plans.size(), plans.stream().mapToLong(MigrationPlan::pending).sum(), onTime, t);
    }

    private static int workersFor(double imagesPerSecond, double capacity) {
        return (int) Math.ceil(imagesPerSecond / capacity - 1e-9);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
