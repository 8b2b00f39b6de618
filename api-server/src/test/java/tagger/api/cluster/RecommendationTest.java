package tagger.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.api.cluster.Recommendation.Advice;
import tagger.api.cluster.Recommendation.Inputs;
import tagger.api.cluster.Recommendation.Migration;
import tagger.api.cluster.Recommendation.MigrationPlan;
import tagger.api.cluster.Recommendation.Rate;

class RecommendationTest {
    private final ClusterConfig config = new ClusterConfig(Duration.ofSeconds(60), Duration.ofSeconds(1), 0.8, 1);

    @Test
    void aBulkBacklogIsDrainedWithinTheTargetAtTheMeasuredRate() {
        // two saturated workers at 50 img/s, planned at 0.8 → 40 img/s each;
        // (20 img/s arriving + 30 000 / 60 s) / 40 = 13
        Advice a = Recommendation.advise(new Inputs(List.of(new Rate(50, 0.9), new Rate(50, 0.95)), 0, 30_000, 0, 20),
                config);
        assertEquals(13, a.workers());
        assertEquals(2, a.current());
        assertEquals(50.0, a.perWorkerImagesPerSecond());
        assertTrue(a.basis().startsWith("measured"), a.basis());
        assertEquals(500.0, a.currentDrainSeconds(), "30 000 / (2 × 40 − 20)");
        assertEquals(Recommendation.QUEUE_FORMULA, a.formula(), "no migrations known: the bulk queue stands in");
    }

    @Test
    void theRealtimeQueueSloCanDemandMoreThanTheDrainTarget() {
        // real-time: (100 + 400 / 1 s) / 40 = 12.5 → 13; all classes: (100 + 400 / 60) / 40 → 3
        Advice a = Recommendation.advise(new Inputs(List.of(new Rate(50, 1.0)), 400, 0, 100, 0), config);
        assertEquals(13, a.workers());
        assertTrue(a.explanation().contains("real-time SLO (backlog 400, 100.0 img/s within 1.0 s) needs 13"),
                a.explanation());
        assertEquals(Recommendation.REALTIME_TERM, a.decidedBy());
        assertEquals(Map.of("minWorkers", 1, "drainAndMigrations", 3, "realtimeSlo", 13), a.terms());
    }

    @Test
    void withoutABacklogTheRateIsEstimatedFromUtilisation() {
        // 10 img/s at 25 % busy → about 40 img/s at full load; 10 img/s arriving fit in one worker
        Advice a = Recommendation.advise(new Inputs(List.of(new Rate(10, 0.25)), 0, 0, 10, 0), config);
        assertEquals(40.0, a.perWorkerImagesPerSecond());
        assertTrue(a.basis().startsWith("estimated"), a.basis());
        assertEquals(1, a.workers());
        assertEquals(0.0, a.currentDrainSeconds());
    }

    @Test
    void idleWorkersGiveNoRateAndTheCurrentCountIsKept() {
        Advice a = Recommendation.advise(new Inputs(List.of(new Rate(0, 0), new Rate(0.1, 0.01), new Rate(0, 0)),
                0, 0, 0, 0), config);
        assertNull(a.perWorkerImagesPerSecond());
        assertEquals(3, a.workers());
        assertEquals("unknown: the workers are too idle to measure (utilisation < 0.05)", a.basis());
    }

    @Test
    void aBacklogWithNoWorkerOnlineAsksForOne() {
        Advice a = Recommendation.advise(new Inputs(List.of(), 10, 5_000, 0, 0), config);
        assertEquals(1, a.workers());
        assertEquals("unknown: no worker online to measure", a.basis());
        assertEquals("per-worker rate unknown (unknown: no worker online to measure); keeping 1", a.explanation());
    }

    @Test
    void nothingToDoRecommendsTheMinimumEvenIfItIsZero() {
        ClusterConfig none = new ClusterConfig(Duration.ofSeconds(60), Duration.ofSeconds(1), 0.8, 0);
        assertEquals(0, Recommendation.advise(new Inputs(List.of(), 0, 0, 0, 0), none).workers());
        assertEquals(1, Recommendation.advise(new Inputs(List.of(), 0, 0, 0, 0), config).workers());
    }

    @Test
    void whenArrivalsOutpaceTheWorkersTheBacklogNeverDrains() {
        Advice a = Recommendation.advise(new Inputs(List.of(new Rate(10, 1.0)), 0, 1_000, 0, 50), config);
        assertNull(a.currentDrainSeconds(), "8 img/s planned capacity against 50 img/s arriving");
        // (50 + 1000 / 60) / 8 = 8.33 → 9
        assertEquals(9, a.workers());
    }

    private static final long NOW = 1_800_000_000_000L;
    private static final List<Rate> TWO_SATURATED = List.of(new Rate(50, 0.9), new Rate(50, 0.95));

    @Test
    void pendingMigrationItemsArePlannedByEachBatchsTargetAndTheDrainTargetForOneWithout() {
        // r = 50, ρ = 0.8 → 40 img/s per worker. Migrations: "a" 12 000 pending due in 600 s → 20 img/s,
        // "b" 6 000 pending without a target → over T = 60 s → 100 img/s, "c" 500 pending and 5 s overdue →
        // over the 10 s minimum horizon → 50 img/s. Real-time: 20 img/s arriving, nothing waiting.
        // (20 + 20 + 100 + 50) / 40 = 4.75 → 5; the bulk queue's 200 ready messages are among the pending
        // items, and its 300 img/s of "arrivals" are those same items moving: neither counts again.
        List<Migration> migrations = List.of(new Migration("a", 12_000, NOW + 600_000), new Migration("b", 6_000, 0),
                new Migration("c", 500, NOW - 5_000));
        Advice a = Recommendation.advise(new Inputs(TWO_SATURATED, 0, 200, 20, 300, migrations, NOW), config);
        assertEquals(5, a.workers());
        assertEquals(Recommendation.DRAIN_TERM, a.decidedBy());
        assertEquals(Map.of("minWorkers", 1, "drainAndMigrations", 5, "realtimeSlo", 1), a.terms());
        assertEquals(List.of(new MigrationPlan("a", 12_000, 600, "deadline", 20), new MigrationPlan("b", 6_000, 60,
                "drain target", 100), new MigrationPlan("c", 500, 10, "overdue", 50)), a.migrations());
        assertEquals(18_500L, a.backlog().get("migrationsPending"));
        assertEquals(Recommendation.FORMULA, a.formula());
        assertTrue(a.explanation().contains("3 migration(s) with 18500 pending (2 by their own target, the rest within "
                + "60 s): 190.0 img/s, need 5 worker(s)"), a.explanation());
        assertEquals(18_500 / (2 * 40.0 - 20), a.currentDrainSeconds(), 0.01, "the pending items are the bulk backlog");
    }

    @Test
    void aLaterDeadlineAsksForFewerWorkersAndTheFloorDecidesWhenNothingElseAsks() {
        Advice soon = Recommendation.advise(new Inputs(TWO_SATURATED, 0, 100, 0, 0,
                List.of(new Migration("a", 24_000, NOW + 100_000)), NOW), config);
        assertEquals(6, soon.workers(), "240 img/s / 40");
        Advice late = Recommendation.advise(new Inputs(TWO_SATURATED, 0, 100, 0, 0,
                List.of(new Migration("a", 24_000, NOW + 3_600_000)), NOW), config);
        assertEquals(1, late.workers(), "6.7 img/s fit in one worker");
        assertEquals(Map.of("minWorkers", 1, "drainAndMigrations", 1, "realtimeSlo", 0), late.terms());
        assertEquals(Recommendation.DRAIN_TERM, late.decidedBy(), "a tie goes to the work, not the floor");
        ClusterConfig three = new ClusterConfig(Duration.ofSeconds(60), Duration.ofSeconds(1), 0.8, 3);
        assertEquals(Recommendation.MIN_TERM, Recommendation.advise(new Inputs(TWO_SATURATED, 0, 100, 0, 0,
                List.of(new Migration("a", 24_000, NOW + 3_600_000)), NOW), three).decidedBy());
    }

    @Test
    void migrationsNeverChangeWhatTheRealtimeSloNeeds() {
        Advice without = Recommendation.advise(new Inputs(List.of(new Rate(50, 1.0)), 400, 0, 100, 0, List.of(), NOW),
                config);
        assertEquals(13, without.workers());
        // a small migration: the real-time SLO still decides, with the same 13
        Advice small = Recommendation.advise(new Inputs(List.of(new Rate(50, 1.0)), 400, 100, 100, 0,
                List.of(new Migration("a", 6_000, 0)), NOW), config);
        assertEquals(13, small.workers());
        assertEquals(Recommendation.REALTIME_TERM, small.decidedBy());
        // a big one: the migrations decide, the real-time term still asks for exactly 13
        Advice big = Recommendation.advise(new Inputs(List.of(new Rate(50, 1.0)), 400, 100, 100, 0,
                List.of(new Migration("a", 60_000, NOW + 60_000)), NOW), config);
        assertEquals(13, big.terms().get(Recommendation.REALTIME_TERM));
        assertEquals(28, big.workers(), "(100 + 400/60 + 1000) / 40 = 27.7");
        assertEquals(Recommendation.DRAIN_TERM, big.decidedBy());
    }

    @Test
    void bulkMessagesBeyondThePendingItemsDrainWithinTheDrainTarget() {
        // no batch is running yet (a batch's intake is still queueing), but 4 800 bulk messages wait: 80 img/s → 2
        Advice a = Recommendation.advise(new Inputs(TWO_SATURATED, 0, 4_800, 0, 500, List.of(), NOW), config);
        assertEquals(2, a.workers());
        assertTrue(a.migrations().isEmpty());
    }
}
