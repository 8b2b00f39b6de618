package tagger.loadtest.slo;

import java.util.List;

/** How a level fared against the SLO: every term, with the measured value and a sentence. */
public record SloResult(boolean passed, List<Check> checks) {

    public static final SloResult NONE = new SloResult(true, List.of());

    /** One term's outcome, e.g. "p99 was 912.3 ms, objective p99<800ms: MISSED". */
    public record Check(String term, double actual, boolean passed, String message) {
    }
}
