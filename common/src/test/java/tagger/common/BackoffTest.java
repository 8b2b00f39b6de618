package tagger.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void stepsDoubleUpToTheCapWithTheLeastJitter() {
        Backoff b = new Backoff(bound -> 0);
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pauses.add(b.next());
        }
        assertEquals(List.of(50L, 100L, 200L, 250L, 250L, 250L), pauses);
    }

    @Test
    void withTheMostJitterNoPauseExceedsTheCap() {
        Backoff b = new Backoff(bound -> bound);
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pauses.add(b.next());
        }
        assertEquals(List.of(100L, 200L, 400L, 500L, 500L, 500L), pauses);
    }

    @Test
    void realJitterStaysBetweenHalfAndAllOfTheStep() {
        Backoff b = new Backoff();
        for (int i = 0; i < 1_000; i++) {
            long p = b.next();
            assertTrue(p >= 50 && p <= Backoff.BROKER_MAX_MS, "pause " + p + " ms");
        }
    }

    @Test
    void aSuccessStartsTheNextOutageFromTheShortestPause() {
        Backoff b = new Backoff(bound -> bound);
        b.next();
        b.next();
        b.next();
        b.reset();
        assertEquals(100L, b.next());
    }
}
