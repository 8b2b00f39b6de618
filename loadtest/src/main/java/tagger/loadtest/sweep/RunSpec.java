package tagger.loadtest.sweep;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tagger.loadtest.DurationText;
import tagger.loadtest.cost.CostModel;
import tagger.loadtest.measure.SelfCheck;
import tagger.loadtest.origin.FaultPlan;
import tagger.loadtest.origin.Photo;
import tagger.loadtest.schedule.Arrivals;
import tagger.loadtest.schedule.LoadModel;
import tagger.loadtest.slo.Slo;

/**
 * Everything a run was told, validated: what to call, with what, at which levels, judged how.
 *
 * @param target       the api-server's base URL; null means the built-in origin's trivial
 *                     {@code /v1/tags} (to measure the generator alone)
 * @param levels       fixed levels, run in order; empty when {@code knee} is set
 * @param knee         a search for the highest rate meeting the SLO, or null
 * @param cooldown     pause between levels
 * @param settle       pause after a level that missed the SLO or had errors, so that the server's
 *                     backlog (bounded by its request deadline) is gone before the next level
 * @param goodLatency  successes within this latency count toward goodput
 * @param scrape       Prometheus endpoints sampled during the run
 * @param bulk         batch size and pacing of the bulk scenario and of bulk batches run beside real-time load
 */
public record RunSpec(
        String name,
        URI target,
        List<Share> scenarios,
        int urlsPerRequest,
        Integer topK,
        List<Photo> photos,
        FaultPlan faults,
        Origin origin,
        List<LoadModel> levels,
        Knee knee,
        Duration warmup,
        Duration duration,
        Duration cooldown,
        Duration settle,
        long seed,
        int validate,
        Duration clientTimeout,
        int maxInflight,
        int httpThreads,
        Slo slo,
        Duration goodLatency,
        CostModel cost,
        SelfCheck.Limits limits,
        List<URI> scrape,
        Bulk bulk) {

    /** A scenario's name ("url", "bytes", "multi", "bulk") and its share of the requests. */
    public record Share(String scenario, double weight) {
    }

    /**
     * Where the image origin runs.
     *
     * @param bind      address the built-in origin listens on
     * @param advertise host written into image URLs (what the api-server connects to)
     * @param external  an origin already running elsewhere (then nothing is started), or null
     */
    public record Origin(String bind, String advertise, int port, URI external, int variants) {
    }

    /**
     * A knee search over open-loop rates.
     *
     * @param untilInvalid judge levels by the generator's validity alone (for measuring the generator)
     */
    public record Knee(double start, double max, int refinements, Arrivals arrivals, boolean untilInvalid) {
    }

    /**
     * Bulk batches.
     *
     * @param background   batches kept running beside the real-time levels (closed loop), 0 for none;
     *                     measured apart from the real-time numbers the SLO judges
     * @param batchSize    URLs per batch
     * @param pollInterval time between two status reads of a running batch
     * @param batchTimeout a batch not complete by then is cancelled and counted as a timeout
     */
    public record Bulk(int background, int batchSize, Duration pollInterval, Duration batchTimeout) {
        public static final Bulk NONE = new Bulk(0, 100, Duration.ofMillis(250), Duration.ofMinutes(10));

        public Bulk {
            if (background < 0 || background > 1_000) {
                throw new IllegalArgumentException("--bulk-background must be 0..1000 batches, got " + background);
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("--batch-size must be 1..100000 (the api-server's default "
                        + "TAGGER_BULK_MAX_ITEMS), got " + batchSize);
            }
            if (pollInterval.toMillis() < 10) {
                throw new IllegalArgumentException("--poll-interval must be at least 10ms, got " + pollInterval);
            }
            if (batchTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("--batch-timeout must be at least 1ms, got " + batchTimeout);
            }
        }
    }

    /** Whether operations of the level itself are bulk batches (then they last seconds, not milliseconds). */
    public boolean bulkLevels() {
        return scenarios.stream().anyMatch(s -> s.scenario().equals("bulk"));
    }

    public RunSpec {
        scenarios = List.copyOf(scenarios);
        photos = List.copyOf(photos);
        levels = List.copyOf(levels);
        scrape = List.copyOf(scrape);
        if (levels.isEmpty() == (knee == null)) {
            throw new IllegalArgumentException("a run needs either fixed levels or a knee search, not both or neither");
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one scenario");
        }
        boolean bulkShare = scenarios.stream().anyMatch(s -> s.scenario().equals("bulk"));
        if (bulkShare && scenarios.size() > 1) {
            throw new IllegalArgumentException("--scenario bulk cannot share a schedule with real-time scenarios (a batch "
                    + "lasts seconds, a call milliseconds); use --bulk-background N to keep N batches running beside "
                    + "real-time load, got --scenario " + scenarios.stream().map(Share::scenario).toList());
        }
        if (bulkShare && bulk.background() > 0) {
            throw new IllegalArgumentException("--bulk-background runs batches beside real-time scenarios; with --scenario "
                    + "bulk use --concurrency or --rate for the batches instead, got --bulk-background " + bulk.background());
        }
    }

    /** The settings as plain values, for the report. */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("target", target == null ? "built-in trivial endpoint" : target.toString());
        d.put("scenarios", scenarios);
        d.put("urlsPerRequest", urlsPerRequest);
        d.put("topK", topK);
        d.put("photos", photos.stream().map(Photo::toString).toList());
        d.put("originFaults", faults.toString());
        d.put("origin", origin.external() != null ? origin.external().toString() : "built-in on " + origin.bind());
        d.put("levels", knee != null ? String.format(java.util.Locale.ROOT, "knee search, %s arrivals, from %s/s up to %s/s, "
                + "%d bisection(s)%s", knee.arrivals(), knee.start(), knee.max(), knee.refinements(),
                knee.untilInvalid() ? ", judged by the generator's validity" : "")
                : levels.stream().map(LoadModel::describe).toList());
        d.put("warmup", DurationText.format(warmup));
        d.put("duration", DurationText.format(duration));
        d.put("cooldown", DurationText.format(cooldown));
        d.put("settle", DurationText.format(settle));
        d.put("seed", seed);
        d.put("validate", validate);
        d.put("clientTimeout", DurationText.format(clientTimeout));
        d.put("maxInflight", maxInflight);
        d.put("slo", slo.terms().stream().map(Slo.Term::text).toList());
        d.put("goodputLatency", DurationText.format(goodLatency));
        d.put("cost", cost.toString());
        d.put("lateThreshold", DurationText.format(limits.lateThreshold()));
        d.put("maxLateShare", limits.maxLateShare());
        d.put("scrape", scrape.stream().map(URI::toString).toList());
        if (bulkLevels() || bulk.background() > 0) {
            d.put("bulkBackground", bulk.background());
            d.put("batchSize", bulk.batchSize());
            d.put("pollInterval", DurationText.format(bulk.pollInterval()));
            d.put("batchTimeout", DurationText.format(bulk.batchTimeout()));
        }
        return d;
    }
}
