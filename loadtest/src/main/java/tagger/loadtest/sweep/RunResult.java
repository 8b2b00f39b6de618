package tagger.loadtest.sweep;

import java.util.List;
import java.util.Map;
import tagger.loadtest.measure.TimeSeries;
import tagger.loadtest.origin.OriginStats;

/**
 * A whole run, as the reports show it: settings, environment, validation, every level, the knee,
 * the per-second time series, what the origin served, and the verdict.
 *
 * @param knee the highest rate (or concurrency) meeting the SLO, null when there is none
 */
public record RunResult(
        String name,
        String startedAt,
        double wallSeconds,
        Map<String, Object> config,
        Map<String, Object> environment,
        ValidationSummary validation,
        List<LevelOutcome> levels,
        Knee knee,
        List<TimeSeries.Point> series,
        OriginStats.Snapshot origin,
        Verdict verdict,
        int exitCode,
        String verdictReason) {

    /** What the validation phase sent and found. */
    public record ValidationSummary(int requests, List<String> problems) {
    }

    /** Where the knee is: a rate (open loop) or a concurrency (closed loop), the level index, and how it was found. */
    public record Knee(Double value, String unit, Integer level, String note) {
    }
}
