package tagger.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelfCheckTest {
    private static final Counts COUNTS = new Counts(20_000, 20_000, 20_000, 20_000, 20_000, 20_000, 20_000, 0, 100, 0);

    private static GeneratorStats stats(double lateShare, double driverCpu, double cores, long capped, double load) {
        return new GeneratorStats(Percentiles.EMPTY, (long) (lateShare * 20_000), capped, lateShare, driverCpu, cores, 0,
                cores, load, Percentiles.EMPTY, 0, 0, 2);
    }

    @Test
    void aGeneratorThatKeptItsScheduleIsValid() {
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0, 0.2, 0.3, 0, 0.5), COUNTS, true, 100);
        assertTrue(c.valid(), c.toString());
        assertEquals(List.of(), c.problems());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void moreThanOnePercentLateSendsFromABusyGeneratorMakeTheLevelInvalid() {
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0.032, 0.2, 1.2, 0, 0.95), COUNTS, true, 100);
        assertFalse(c.valid());
        assertEquals(List.of("3.2% of requests left more than 10 ms late (limit 1.0%) while this process was busy "
                + "(driver thread 20%, 1.20 of 2 cores): the generator was the bottleneck, so these numbers describe it, "
                + "not the server"), c.problems());
    }

    @Test
    void lateSendsOnAHostTheServerSaturatesAreAWarningAboutContention() {
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0.054, 0.01, 0.22, 0, 0.96), COUNTS, true, 100);
        assertTrue(c.valid(), c.toString());
        assertTrue(c.warnings().get(0).startsWith("5.4% of requests left more than 10 ms late (limit 1.0%) because the "
                + "machine's CPU was 96% busy while this process used only 0.22 cores"), c.warnings().toString());
    }

    @Test
    void lateSendsWithNothingBusyAreUnexplainedAndInvalid() {
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0.05, 0.01, 0.1, 0, 0.3), COUNTS, true, 100);
        assertFalse(c.valid());
        assertTrue(c.problems().get(0).endsWith("although neither this process nor the machine was busy (JVM pauses up to "
                + "0 ms, 0 ms in GC): the generator's timing cannot be trusted"), c.problems().toString());
    }

    @Test
    void aFewLateSendsAtALowRateAreAWarningNotAVerdict() {
        Counts few = new Counts(100, 100, 100, 100, 100, 100, 100, 0, 0, 0);
        GeneratorStats g = new GeneratorStats(Percentiles.EMPTY, 2, 0, 0.02, 0.01, 0.05, 0, 0.05, 0.5, Percentiles.EMPTY, 0,
                0, 2);
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, g, few, true, 100);
        assertTrue(c.valid(), c.toString());
        assertEquals("2 sends left more than 10 ms late (schedule lag max 0.0 ms)", c.warnings().get(0));
    }

    @Test
    void aSaturatedDriverThreadOrAGeneratorUsingEveryCoreIsInvalid() {
        SelfCheck busy = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0, 0.95, 0.5, 0, 0.5), COUNTS, true, 100);
        assertEquals(List.of("the driver thread was busy 95% of the time (limit 90%): it cannot keep a schedule"),
                busy.problems());
        SelfCheck cores = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0, 0.3, 1.9, 0, 0.5), COUNTS, true, 100);
        assertEquals(List.of("the generator used 1.90 of 2 cores: it was the bottleneck"), cores.problems());
    }

    @Test
    void waitingForInFlightSlotsAndABusyMachineAreWarningsNotVerdicts() {
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0, 0.3, 0.3, 42, 0.97), COUNTS, true, 100);
        assertTrue(c.valid());
        assertEquals(List.of("42 sends waited for one of the 100 in-flight slots (raise --max-inflight); their latency "
                        + "includes the wait",
                "the machine's CPU was 97% busy: generator and server competed for it, so the numbers describe the pair"),
                c.warnings());
    }

    @Test
    void tooFewSamplesForTheTailAreFlagged() {
        Counts few = new Counts(500, 500, 500, 500, 500, 500, 500, 0, 0, 0);
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0, 0.1, 0.1, 0, 0.1), few, true, 100);
        assertEquals(List.of("p99 rests on 500 samples; at least 1000 are needed for it to be stable"), c.warnings());
    }

    @Test
    void lateSendsDoNotInvalidateAClosedLoopWhichIsFlaggedForCoordinatedOmissionInstead() {
        SelfCheck c = SelfCheck.judge(SelfCheck.Limits.DEFAULT, stats(0.5, 0.1, 0.1, 0, 0.1), COUNTS, false, 100);
        assertTrue(c.valid());
        assertTrue(c.warnings().get(0).startsWith("closed loop: latency counts from the actual send"), c.warnings().toString());
    }
}
