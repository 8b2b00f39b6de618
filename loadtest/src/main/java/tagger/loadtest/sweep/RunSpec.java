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
        List<URI> scrape) {

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
        return d;
    }
}
