package tagger.loadtest.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.TestLevels;
import tagger.loadtest.slo.Slo;

/** Which exit code a run gets: the contract CI scripts rely on. */
class JudgementTest {
    private static final Slo SLO = Slo.parse("p99<800ms");

    private static LevelOutcome level(int index, double rate, double maxMs) {
        LevelResult r = TestLevels.level(index, rate, TestLevels.spread(1000, 1, maxMs), 0);
        return new LevelOutcome(r, SLO.evaluate(r), null);
    }

    @Test
    void everyLevelMeetingTheSloPassesWithExitCode0() {
        List<LevelOutcome> levels = List.of(level(0, 10, 100), level(1, 20, 300));
        RunResult.Knee knee = Judgement.kneeOf(SLO, levels);
        assertEquals(20.0, knee.value());
        assertEquals(1, knee.level());
        Verdict v = Judgement.verdict(false, levels, knee);
        assertEquals(Verdict.PASSED, v);
        assertEquals(0, v.exitCode());
    }

    @Test
    void oneLevelMissingTheSloFailsASweepWithExitCode99AndSaysWhere() {
        List<LevelOutcome> levels = List.of(level(0, 10, 100), level(1, 20, 300), level(2, 40, 3000));
        RunResult.Knee knee = Judgement.kneeOf(SLO, levels);
        assertEquals(20.0, knee.value(), "the knee is still reported");
        Verdict v = Judgement.verdict(false, levels, knee);
        assertEquals(99, v.exitCode());
        String reason = Judgement.reason(v, levels, knee);
        assertEquals(true, reason.startsWith("SLO missed at level(s) [3]: [p99 was 29"), reason);
    }

    @Test
    void aKneeSearchThatFoundAKneePassesAndOneThatFoundNoneMissesTheSlo() {
        List<LevelOutcome> levels = List.of(level(0, 10, 3000));
        assertEquals(Verdict.PASSED, Judgement.verdict(true, levels, new RunResult.Knee(5.0, "req/s", 0, "found")));
        assertEquals(Verdict.SLO_MISSED, Judgement.verdict(true, levels, new RunResult.Knee(null, "req/s", null, "none")));
    }

    @Test
    void withoutAnSloThereIsNoKnee() {
        assertNull(Judgement.kneeOf(Slo.NONE, List.of(level(0, 10, 100), level(1, 20, 100))));
    }
}
