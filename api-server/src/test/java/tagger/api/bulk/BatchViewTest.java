package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tagger.transport.BatchState;
import tagger.transport.BatchStore;
import tagger.transport.DecayingRate;

class BatchViewTest {
    private static final long NOW = 1_800_000_000_000L;

    private static BatchStore.Batch batch(BatchState state, long items, long done, long failed, long cancelled,
            long finishedAt, DecayingRate.Snapshot rate) {
        return new BatchStore.Batch("b-1", state, items, done, failed, cancelled, "fp", 3, null, null, null,
                NOW - 60_000, NOW - 60_000, 1, finishedAt, rate);
    }

    @Test
    void theEtaIsThePendingItemsAtTheCurrentRate() {
        assertEquals(50.0, BatchView.eta(1_000, 20));
        assertEquals(0.3, BatchView.eta(1, 3));
        assertEquals(0.0, BatchView.eta(0, 0));
        assertNull(BatchView.eta(10, 0), "no rate, no ETA");
        assertNull(BatchView.eta(-1, 5), "total unknown, no ETA");
    }

    @Test
    void aRunningBatchShowsItsCountersRateAndEta() {
        // a steady 100 items/s for the last 30 s
        double value = 0;
        long at = NOW - 30_000;
        for (long t = NOW - 30_000; t <= NOW; t += 10) {
            value = DecayingRate.add(value, at, t, DecayingRate.TAU_MS);
            at = t;
        }
        BatchView v = BatchView.of(batch(BatchState.RUNNING, 10_000, 2_900, 90, 10, 0,
                new DecayingRate.Snapshot(value, at, NOW - 30_000)), NOW);

        assertEquals("running", v.status());
        assertEquals(7_000, v.pending());
        assertEquals(100, v.ratePerSecond(), 1);
        assertEquals(70, v.etaSeconds(), 1);
        assertFalse(v.complete());
        assertEquals("/v1/batches/b-1/results", v.resultsUrl());
        assertEquals(3, v.options().topK());
    }

    @Test
    void theEtaIsThePendingItemsAtTheRateShownAndTheDeadlineIsShownWhenAskedFor() {
        BatchStore.Batch b = new BatchStore.Batch("b-2", BatchState.RUNNING, 1_000, 300, 0, 0, "fp", null, null, null,
                null, NOW - 60_000, NOW - 60_000, 1, 0, new DecayingRate.Snapshot(7.04, NOW, NOW - 60_000),
                NOW + 3_600_000);
        BatchView v = BatchView.of(b, NOW);

        assertEquals(BatchView.rate(b, NOW), v.ratePerSecond());
        assertEquals(BatchView.eta(700, v.ratePerSecond()), v.etaSeconds(), "the operator view computes it the same way");
        assertEquals("2027-01-15T09:00:00Z", v.deadline());
        assertNull(BatchView.of(batch(BatchState.RUNNING, 10, 0, 0, 0, 0, DecayingRate.Snapshot.NONE), NOW).deadline());
    }

    @Test
    void anAcceptingBatchHasNoTotalYet() {
        BatchView v = BatchView.of(batch(BatchState.ACCEPTING, -1, 5, 0, 0, 0, DecayingRate.Snapshot.NONE), NOW);

        assertNull(v.items());
        assertNull(v.pending());
        assertNull(v.etaSeconds());
    }

    @Test
    void aCompleteBatchHasNoRateAndAZeroEta() {
        BatchView v = BatchView.of(batch(BatchState.FINISHED, 10, 9, 1, 0, NOW - 1_000,
                new DecayingRate.Snapshot(5, NOW - 1_000, NOW - 10_000)), NOW);

        assertTrue(v.complete());
        assertEquals(0.0, v.ratePerSecond());
        assertEquals(0.0, v.etaSeconds());
        assertEquals("2027-01-15T08:00:00Z".length(), v.finishedAt().length());
    }
}
