package tagger.loadtest.sweep;

import java.util.List;
import tagger.loadtest.slo.Slo;
import tagger.loadtest.slo.SloResult;

/** How a run's levels add up: where the knee is, which verdict (and exit code) the run gets, and why. */
final class Judgement {
    private Judgement() {
    }

    /** For fixed levels: the highest load whose level was valid and met a (non-empty) SLO. */
    static RunResult.Knee kneeOf(Slo slo, List<LevelOutcome> levels) {
        if (slo.isEmpty() || levels.size() < 2) {
            return null;
        }
        LevelOutcome best = null;
        for (LevelOutcome o : levels) {
            if (o.slo().passed() && o.result().selfCheck().valid() && (best == null || load(o) > load(best))) {
                best = o;
            }
        }
        boolean closed = levels.get(0).result().info().concurrency() != null;
        String unit = closed ? "clients" : "req/s";
        if (best == null) {
            return new RunResult.Knee(null, unit, null, "no level met the SLO");
        }
        return new RunResult.Knee(load(best), unit, best.result().info().index(),
                "highest level that met the SLO among those run");
    }

    private static double load(LevelOutcome o) {
        var info = o.result().info();
        return info.concurrency() != null ? info.concurrency() : info.targetRate();
    }

    static Verdict verdict(boolean kneeSearch, List<LevelOutcome> levels, RunResult.Knee knee) {
        if (kneeSearch) {
            if (knee != null && knee.value() != null) {
                return Verdict.PASSED;
            }
            return !levels.isEmpty() && !levels.get(0).result().selfCheck().valid() ? Verdict.INVALID : Verdict.SLO_MISSED;
        }
        if (levels.stream().anyMatch(o -> !o.result().selfCheck().valid())) {
            return Verdict.INVALID;
        }
        return levels.stream().allMatch(o -> o.slo().passed()) ? Verdict.PASSED : Verdict.SLO_MISSED;
    }

    static String reason(Verdict verdict, List<LevelOutcome> levels, RunResult.Knee knee) {
        return switch (verdict) {
            case PASSED -> knee != null && knee.value() != null ? "knee at " + KneeSearch.fmt(knee.value()) + " "
                    + knee.unit() + "; " + knee.note() : "every level was valid and met the SLO";
            case INVALID -> "level(s) " + levels.stream().filter(o -> !o.result().selfCheck().valid())
                    .map(o -> Integer.toString(o.result().info().index() + 1)).toList() + " invalid: "
                    + levels.stream().filter(o -> !o.result().selfCheck().valid()).findFirst()
                    .map(o -> o.result().selfCheck().problems().get(0)).orElse("");
            case SLO_MISSED -> knee != null && knee.value() == null ? knee.note()
                    : "SLO missed at level(s) " + levels.stream().filter(o -> !o.slo().passed())
                    .map(o -> Integer.toString(o.result().info().index() + 1)).toList() + ": "
                    + levels.stream().filter(o -> !o.slo().passed()).findFirst().map(o -> o.slo().checks().stream()
                    .filter(c -> !c.passed()).map(SloResult.Check::message).toList().toString()).orElse("");
            case VALIDATION_FAILED -> "validation failed";
        };
    }

}
