package tagger.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchArrivalsTest {
    private static final long MS = 1_000_000;

    /** Adds a whole batch of {@code size} results arriving at {@code atMs}, each 0.1 ms apart. */
    private static void batch(BatchArrivals a, long atMs, double busy, double inferenceMs, int size) {
        for (int i = 0; i < size; i++) {
            a.add(at(atMs * MS + i * 100_000L, busy), inferenceMs, 2.0 + i, size);
        }
    }

    /** A snapshot whose inference thread was on a CPU for half the busy time. */
    private static BatchArrivals.Snapshot at(long nanos, double busy) {
        return new BatchArrivals.Snapshot(nanos, busy, busy / 2);
    }

    @Test
    void windowStartsAtTheBatchThatCompletesTheWarmUpAndCountsOnlyLaterImages() {
        BatchArrivals a = new BatchArrivals();
        batch(a, 100, 0.05, 50.0001, 4);   // warm-up: images 1-4
        batch(a, 160, 0.11, 60.0002, 4);   // images 5-8: completes an 8-image warm-up, window starts here
        batch(a, 220, 0.17, 59.0003, 4);
        batch(a, 280, 0.23, 61.0004, 4);

        BatchArrivals.Window w = a.after(8);

        assertEquals(8, w.images());
        assertEquals(2, w.batches());
        assertEquals(120 * MS, w.nanos());
        assertEquals(8 / 0.120, w.imagesPerSecond(), 1e-9);
        assertEquals(0.12 / 0.120, w.dutyCycle(), 1e-9);
        assertEquals(0.06 / 0.120, w.inferenceCpuShare(), 1e-9);
        assertEquals(60.00035, w.inferenceMs(), 1e-9);
        assertEquals(3.5, w.preprocessMs(), 1e-9, "mean of 2, 3, 4, 5 ms per image");
    }

    @Test
    void interleavedResultsOfTwoBatchesAreToldApartByTheirInferenceTime() {
        BatchArrivals a = new BatchArrivals();
        a.add(at(10 * MS, 0), 7.25, 1, 2);
        a.add(at(11 * MS, 0), 8.5, 1, 2);   // the next batch's first result before the last of this one
        a.add(at(12 * MS, 0), 7.25, 1, 2);
        a.add(at(13 * MS, 0), 8.5, 1, 2);
        a.add(at(20 * MS, 0), 9.75, 1, 2);
        a.add(at(20 * MS, 0), 9.75, 1, 2);

        BatchArrivals.Window w = a.after(0);

        assertEquals(2, w.batches(), "three batches in all: the first starts the window");
        assertEquals(4, w.images());
        assertEquals(10 * MS, w.nanos());
    }

    @Test
    void anEqualInferenceTimeAfterACompleteBatchIsANewBatch() {
        BatchArrivals a = new BatchArrivals();
        batch(a, 0, 0, 5.0, 1);
        batch(a, 10, 0, 5.0, 1);
        batch(a, 20, 0, 5.0, 1);

        assertEquals(2, a.after(1).images());
    }

    @Test
    void partialFirstBatchesCountTowardsTheWarmUp() {
        BatchArrivals a = new BatchArrivals();
        batch(a, 0, 0, 1.5, 1);
        batch(a, 10, 0, 2.5, 3);   // 4 images so far: a warm-up of 3 ends inside this batch, so here
        batch(a, 20, 0, 3.5, 4);
        batch(a, 30, 0, 4.5, 4);

        BatchArrivals.Window w = a.after(3);

        assertEquals(8, w.images());
        assertEquals(20 * MS, w.nanos());
    }

    @Test
    void tooFewBatchesAfterTheWarmUpIsAnErrorSayingHowMany() {
        BatchArrivals a = new BatchArrivals();
        batch(a, 0, 0, 1.5, 4);
        batch(a, 10, 0, 2.5, 4);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.after(8));

        assertEquals("need at least two batches after the first 8 images to measure a rate, got 2 batches in all",
                e.getMessage());
    }

    @Test
    void failedResultsAreCountedAndTheFirstMessageKept() {
        BatchArrivals a = new BatchArrivals();
        a.failed("undecodable: not a JPEG");
        a.failed("undecodable: truncated");
        batch(a, 0, 0, 1.5, 1);

        assertEquals(3, a.results());
        assertEquals(2, a.failures());
        assertEquals("undecodable: not a JPEG", a.firstFailure());
    }

    @Test
    void batchSizeBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchArrivals().add(at(0, 0), 1, 1, 0));
        assertEquals("batch size must be >= 1, got 0", e.getMessage());
    }
}
