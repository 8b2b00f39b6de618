package tagger.loadtest.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tagger.loadtest.measure.GeneratorUsage;
import tagger.loadtest.measure.LevelInfo;
import tagger.loadtest.measure.LevelRecorder;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.SelfCheck;
import tagger.loadtest.measure.TimeSeries;

/**
 * A server that freezes for 2 s during a 10 s run at 100 requests/s, in virtual time. Whether the
 * freeze shows up in the percentiles depends on where latency is measured from (wrk2's demo).
 */
class CoordinatedOmissionTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final VirtualPacer pacer = new VirtualPacer();
    private final StallingServer server = new StallingServer(pacer, MS, 3 * SECOND, 2 * SECOND);

    private LevelResult openLoop(int maxInflight) throws InterruptedException {
        Schedule schedule = Schedule.of(RateShape.constant(100), Arrivals.CONSTANT, Duration.ofSeconds(10), 1);
        LevelRecorder recorder = new LevelRecorder(0, Long.MAX_VALUE, 10 * MS, new TimeSeries(0));
        LoadDriver.Driven d = new LoadDriver(pacer, maxInflight).open(schedule, server, recorder, 0, 0, Duration.ofSeconds(30));
        assertEquals(0, d.unfinished());
        return finish(recorder, true, maxInflight);
    }

    private static LevelResult finish(LevelRecorder recorder, boolean open, int maxInflight) {
        return recorder.finish(new LevelInfo(0, "sim", "sim", null, null, null, 10), 0, GeneratorUsage.NONE, new Histogram(3),
                java.util.Map.of(), SelfCheck.Limits.DEFAULT, maxInflight, open);
    }

    @Test
    void aStallHiddenByDelayedSendsShowsUpInTheIntendedTimePercentiles() throws InterruptedException {
        // one slot, like one connection: while the server is frozen the generator cannot send
        LevelResult r = openLoop(1);

        assertEquals(1000, r.counts().completed());
        assertTrue(r.latencyFromSend().p99() < 5, "from the actual send only one request was slow: p99 "
                + r.latencyFromSend().p99() + " ms");
        assertTrue(r.latency().p99() > 1_500, "from the intended time ~200 requests waited out the freeze: p99 "
                + r.latency().p99() + " ms");
        assertTrue(r.latency().p90() > 100, "p90 " + r.latency().p90() + " ms");
        assertEquals(r.latency().max(), r.latencyFromSend().max(), 5, "both see the one request caught in the freeze");
        assertTrue(r.generator().capped() >= 190, "the delayed sends are counted, not hidden: " + r.generator().capped());
    }

    @Test
    void anOpenLoopThatNeverWaitsShowsTheStallEvenFromTheActualSend() throws InterruptedException {
        LevelResult r = openLoop(10_000);

        assertEquals(0, r.generator().capped());
        assertEquals(0, r.generator().late());
        assertTrue(r.latencyFromSend().p99() > 1_500, "p99 " + r.latencyFromSend().p99());
        assertEquals(r.latency().p99(), r.latencyFromSend().p99(), 0.01, "sent on time, so both clocks agree");
    }

    @Test
    void aClosedLoopSendsAlmostNothingDuringTheStallAndReportsATinyP99() throws InterruptedException {
        LevelRecorder recorder = new LevelRecorder(0, Long.MAX_VALUE, 10 * MS, new TimeSeries(0));
        new LoadDriver(pacer, 10).closed(1, Duration.ofSeconds(10), server, recorder, 0, 0, Duration.ofSeconds(30));
        LevelResult r = finish(recorder, false, 1);

        // ~8000 answers of 1 ms and a single 2 s one: the freeze is 0.01% of samples
        assertTrue(r.counts().completed() > 7_000, "completed " + r.counts().completed());
        assertTrue(r.latency().p99() < 5, "p99 " + r.latency().p99());
        assertTrue(r.latency().max() > 1_900, "max " + r.latency().max());
        assertTrue(r.selfCheck().warnings().stream().anyMatch(w -> w.contains("coordinated omission")),
                r.selfCheck().warnings().toString());
    }

    @Test
    void warmUpRequestsAreCountedButNeverMeasured() throws InterruptedException {
        Schedule schedule = Schedule.of(RateShape.constant(100), Arrivals.CONSTANT, Duration.ofSeconds(10), 1);
        // the freeze (3 s to 5 s) and the backlog it leaves fall inside a 6 s warm-up
        LevelRecorder recorder = new LevelRecorder(6 * SECOND, Long.MAX_VALUE, 10 * MS, new TimeSeries(0));
        new LoadDriver(pacer, 10_000).open(schedule, server, recorder, 0, 0, Duration.ofSeconds(30));
        LevelResult r = finish(recorder, true, 10_000);

        assertEquals(600, r.counts().warmup());
        assertEquals(400, r.counts().completed());
        assertTrue(r.latency().max() < 5, "nothing from the warm-up leaks in: max " + r.latency().max());
    }
}
