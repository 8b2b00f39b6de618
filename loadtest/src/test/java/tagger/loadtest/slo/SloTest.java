package tagger.loadtest.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.TestLevels;

class SloTest {

    @Test
    void termsParseWithUnitsPercentagesAndRates() {
        Slo slo = Slo.parse("p99<800ms, p99.9<=2s,max<5s,mean<100ms,errors<1%,goodput>=50/s");
        assertEquals(6, slo.terms().size());
        Slo.Term p99 = slo.terms().get(0);
        assertEquals(Slo.Metric.PERCENTILE, p99.metric());
        assertEquals(99.0, p99.percentile());
        assertEquals(800.0, p99.limit());
        assertEquals(99.9, slo.terms().get(1).percentile());
        assertEquals(2000.0, slo.terms().get(1).limit());
        assertEquals(0.01, slo.terms().get(4).limit(), 1e-12);
        assertEquals(50.0, slo.terms().get(5).limit());
        assertEquals(">=", slo.terms().get(5).op());
        assertTrue(Slo.parse("").isEmpty());
        assertTrue(Slo.parse(null).isEmpty());
    }

    @Test
    void everyBadTermIsReportedAtOnceWithItsText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Slo.parse("p99<8OOms,latency<1s,errors<150%,p100<1s"));
        assertEquals("SLO term 'p99<8OOms': duration must be a number with unit us, ms, s, m or h (e.g. 250ms, 1.5s), "
                + "got '8OOms'; SLO term 'latency<1s' must look like p99<800ms, max<2s, mean<100ms, errors<1% or "
                + "goodput>=50; SLO term 'errors<150%': error share must be a percentage 0%..100% or a fraction 0..1, "
                + "got '150%'; SLO term 'p100<1s': percentile must be between 0 and 100, got 100.0", e.getMessage());
    }

    @Test
    void theGoodputLatencyIsTheBoundOfTheHighestPercentileTerm() {
        assertEquals(Optional.of(Duration.ofMillis(800)), Slo.parse("p50<100ms,p99<800ms,errors<1%").latencyBound());
        assertEquals(Optional.of(Duration.ofSeconds(2)), Slo.parse("p99<800ms,max<2s").latencyBound());
        assertEquals(Optional.empty(), Slo.parse("errors<1%").latencyBound());
    }

    @Test
    void aLevelIsJudgedOnItsCorrectedLatencyAndItsErrors() {
        // 1000 answers from 10 to 1000 ms: p99 ≈ 990 ms; plus 20 failures: 1.96% errors
        LevelResult level = TestLevels.level(0, 100, TestLevels.spread(1000, 10, 1000), 20);
        SloResult result = Slo.parse("p99<800ms,p50<600ms,errors<1%").evaluate(level);
        assertFalse(result.passed());
        List<SloResult.Check> checks = result.checks();
        assertFalse(checks.get(0).passed());
        assertTrue(checks.get(0).message().matches("p99 was 9\\d\\d\\.\\d ms, objective p99<800ms: MISSED"),
                checks.get(0).message());
        assertTrue(checks.get(1).passed(), checks.get(1).message());
        assertEquals("errors was 1.96%, objective errors<1%: MISSED", checks.get(2).message());

        assertTrue(Slo.parse("p99<=2s,errors<5%").evaluate(level).passed());
    }

    @Test
    void aLevelWithoutAnswersCannotMeetALatencyObjective() {
        LevelResult empty = TestLevels.level(0, 10, new double[0], 0);
        SloResult r = Slo.parse("p99<1s").evaluate(empty);
        assertFalse(r.passed());
        assertEquals("p99<1s: no answers were measured, so it cannot hold", r.checks().get(0).message());
    }
}
