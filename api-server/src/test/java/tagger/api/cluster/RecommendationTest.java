package tagger.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.api.cluster.Recommendation.Advice;
import tagger.api.cluster.Recommendation.Inputs;
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
        assertEquals(Recommendation.FORMULA, a.formula());
    }

    @Test
    void theRealtimeQueueSloCanDemandMoreThanTheDrainTarget() {
        // real-time: (100 + 400 / 1 s) / 40 = 12.5 → 13; all classes: (100 + 400 / 60) / 40 → 3
        Advice a = Recommendation.advise(new Inputs(List.of(new Rate(50, 1.0)), 400, 0, 100, 0), config);
        assertEquals(13, a.workers());
        assertTrue(a.explanation().contains("real-time (backlog 400, 100.0 img/s) needs 13 within 1.0 s"),
                a.explanation());
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
}
