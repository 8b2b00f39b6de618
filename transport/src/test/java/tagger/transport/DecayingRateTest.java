package tagger.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DecayingRateTest {
    private static final long TAU = DecayingRate.TAU_MS;

    /** Feeds {@code perSecond} evenly spaced events for {@code seconds}, starting at time 0. */
    private static DecayingRate.Snapshot steady(int perSecond, int seconds) {
        double value = 0;
        long at = 0;
        long step = 1000 / perSecond;
        for (long t = 0; t < seconds * 1000L; t += step) {
            value = DecayingRate.add(value, at, t, TAU);
            at = t;
        }
        return new DecayingRate.Snapshot(value, at, 1);
    }

    @Test
    void aSteadyRateReadsAsThatRateAfterAFewSeconds() {
        DecayingRate.Snapshot s = steady(100, 5);

        assertEquals(100, s.perSecond(s.atMs(), TAU), 3);
    }

    @Test
    void aSteadyRateReadsAsThatRateLongAfterTheTimeConstant() {
        DecayingRate.Snapshot s = steady(50, 300);

        assertEquals(50, s.perSecond(s.atMs(), TAU), 1);
    }

    @Test
    void aStalledBatchDecaysTowardsZero() {
        DecayingRate.Snapshot s = steady(100, 60);

        assertEquals(100 * Math.exp(-1), s.perSecond(s.atMs() + TAU, TAU), 3);
        assertEquals(0, s.perSecond(s.atMs() + 20 * TAU, TAU), 0.001);
    }

    @Test
    void aSingleEventIsNotReadAsThousandsPerSecond() {
        DecayingRate.Snapshot s = new DecayingRate.Snapshot(DecayingRate.add(0, 5, 5, TAU), 5, 5);

        assertEquals(1, s.perSecond(5, TAU), 0.05);
    }

    @Test
    void nothingYetIsZero() {
        assertEquals(0, DecayingRate.Snapshot.NONE.perSecond(123, TAU));
    }
}
