package tagger.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SampleTest {

    private static Sample oneTo(int n) {
        return Sample.of(IntStream.rangeClosed(1, n).asDoubleStream().toArray());
    }

    @Test
    void medianOfThreeUnsortedValuesIsTheMiddleOne() {
        assertEquals(2.0, Sample.of(3, 1, 2).median());
    }

    @Test
    void nearestRankPercentilesPickAnObservedValue() {
        assertEquals(2.0, oneTo(4).percentile(50), "p50 of 1..4 is the 2nd value, not an interpolated 2.5");
        assertEquals(9.0, oneTo(10).percentile(90));
        assertEquals(99.0, oneTo(100).percentile(99));
        assertEquals(100.0, oneTo(100).percentile(100));
        assertEquals(1.0, oneTo(100).percentile(0.5), "a tiny percentile is the smallest value");
    }

    @Test
    void p99OfFewerThanAHundredValuesIsTheMaximum() {
        assertEquals(20.0, oneTo(20).percentile(99));
    }

    @Test
    void sampleDoesNotReorderTheCallersArray() {
        double[] values = {3, 1, 2};
        Sample.of(values);
        assertEquals(3.0, values[0]);
    }

    @Test
    void collectionsWork() {
        Sample s = Sample.of(List.of(5.0, 7.0, 6.0));
        assertEquals(5.0, s.min());
        assertEquals(7.0, s.max());
        assertEquals(3, s.size());
    }

    @Test
    void medianAndRangeShowsTheSpreadOfRepeatedRuns() {
        assertEquals("0.930 (0.910-0.950)", Sample.of(0.95, 0.91, 0.93).medianAndRange("%.3f"));
        assertEquals("12.5", Sample.of(12.5).medianAndRange("%.1f"), "one run has no range to show");
    }

    @Test
    void emptySampleIsRefusedWithTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sample.of(new double[0]));
        assertEquals("a sample needs at least one value, got none", e.getMessage());
    }

    @Test
    void percentileOutsideTheRangeIsRefusedWithTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> oneTo(3).percentile(0));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> oneTo(3).percentile(101));
        assertEquals("percentile must be in (0, 100], got 0.0", zero.getMessage());
        assertEquals("percentile must be in (0, 100], got 101.0", big.getMessage());
    }
}
