package tagger.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/** Percentiles of a whole come from merged counts, never from averaging the parts' percentiles. */
class HistogramMergeTest {

    @Test
    void histogramsRecordedOnSeveralThreadsMergeIntoExactlyTheHistogramOfAllValues() throws Exception {
        Recorder shared = new Recorder(3);
        Histogram reference = Histograms.micros();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread w = new Thread(() -> {
                java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    shared.recordValue(1 + r.nextLong(5_000_000));
                }
            }, "recorder-test-" + t);
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        for (int t = 0; t < threads; t++) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(t);
            for (int i = 0; i < 50_000; i++) {
                reference.recordValue(1 + r.nextLong(5_000_000));
            }
        }
        Histogram recorded = shared.getIntervalHistogram();
        assertEquals(200_000, recorded.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            assertEquals(reference.getValueAtPercentile(p), recorded.getValueAtPercentile(p), "p" + p);
        }
    }

    @Test
    void mergingLevelsGivesTheTruePercentileWhileAveragingPercentilesDoesNot() {
        Histogram fast = Histograms.micros();
        Histogram slow = Histograms.micros();
        fast.recordValueWithCount(10_000, 1_000);        // 1000 answers of 10 ms
        slow.recordValueWithCount(10_000, 900);          // 900 of 10 ms ...
        slow.recordValueWithCount(1_000_000, 100);       // ... and 100 of 1 s
        Histogram merged = Histograms.merge(List.of(fast, slow));

        double averaged = (Percentiles.of(fast).p99() + Percentiles.of(slow).p99()) / 2;
        // 100 of 2000 answers (5%) took 1 s, so the whole run's p99 is 1 s
        assertEquals(1000.0, Percentiles.of(merged).p99(), 1.0);
        assertEquals(2000, merged.getTotalCount());
        assertNotEquals(Percentiles.of(merged).p99(), averaged, 1.0);
        assertEquals(505.0, averaged, 1.0);
    }

    @Test
    void aHistogramSurvivesTheTripThroughTheJsonReport() {
        Histogram h = Histograms.micros();
        for (long v = 1; v < 3_000_000; v += 997) {
            h.recordValue(v);
        }
        Histogram back = Histograms.decode(Histograms.encode(h));
        assertEquals(h, back);
        assertEquals(Percentiles.of(h), Percentiles.of(back));
    }

    @Test
    void percentilesAreReportedInMillisecondsFromMicroseconds() {
        Histogram h = Histograms.micros();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1_000L); // 1 ms .. 1000 ms
        }
        Percentiles p = Percentiles.of(h);
        assertEquals(500, p.p50(), 1);
        assertEquals(990, p.p99(), 1);
        assertEquals(1000, p.max(), 1);
        assertEquals(1000, p.count());
        assertEquals(990, Percentiles.at(h, 99), 1);
        assertEquals(Percentiles.EMPTY, Percentiles.of(Histograms.micros()));
    }
}
