package tagger.loadtest.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static long[] offsets(Schedule s) {
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.offset(i);
        }
        return out;
    }

    @Test
    void aConstantRateSendsExactlyRateTimesSecondsEvenlySpaced() {
        Schedule s = Schedule.of(RateShape.constant(100), Arrivals.CONSTANT, Duration.ofSeconds(10), 7);
        assertEquals(1000, s.size());
        assertEquals(0, s.offset(0));
        for (int i = 1; i < s.size(); i++) {
            assertEquals(10_000_000, s.offset(i) - s.offset(i - 1), 1, "gap before request " + i);
        }
        assertEquals(100.0, s.meanRate(), 1e-9);
    }

    @Test
    void poissonArrivalsHaveTheRateAndTheStatisticsOfAPoissonProcess() {
        double rate = 200;
        Schedule s = Schedule.of(RateShape.constant(rate), Arrivals.POISSON, Duration.ofSeconds(60), 42);
        // count: mean 12000, sd ~110; 5 sd is a fixed seed's comfortable margin
        assertEquals(12_000, s.size(), 550);
        // gaps are exponential: mean 1/rate, coefficient of variation 1
        double sum = 0;
        double sumSq = 0;
        int n = s.size() - 1;
        for (int i = 1; i < s.size(); i++) {
            double gap = (s.offset(i) - s.offset(i - 1)) / 1e9;
            sum += gap;
            sumSq += gap * gap;
        }
        double mean = sum / n;
        double cv = Math.sqrt(sumSq / n - mean * mean) / mean;
        assertEquals(1 / rate, mean, 0.03 / rate);
        assertEquals(1.0, cv, 0.05);
        // counts per second: variance equals the mean (index of dispersion 1); a constant schedule has 0
        double[] perSecond = new double[60];
        for (int i = 0; i < s.size(); i++) {
            perSecond[(int) (s.offset(i) / 1_000_000_000L)]++;
        }
        double m = java.util.Arrays.stream(perSecond).average().orElseThrow();
        double var = java.util.Arrays.stream(perSecond).map(c -> (c - m) * (c - m)).sum() / 59;
        assertEquals(1.0, var / m, 0.45, "index of dispersion");
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedADifferentOne() {
        Schedule a = Schedule.of(RateShape.constant(50), Arrivals.POISSON, Duration.ofSeconds(5), 1);
        Schedule b = Schedule.of(RateShape.constant(50), Arrivals.POISSON, Duration.ofSeconds(5), 1);
        Schedule c = Schedule.of(RateShape.constant(50), Arrivals.POISSON, Duration.ofSeconds(5), 2);
        assertArrayEquals(offsets(a), offsets(b));
        assertFalse(java.util.Arrays.equals(offsets(a), offsets(c)));
    }

    @Test
    void aRampFromZeroTo100OverTenSecondsSendsAQuarterInTheFirstHalf() {
        Schedule s = Schedule.of(new RateShape(0, 100), Arrivals.CONSTANT, Duration.ofSeconds(10), 1);
        // Λ(t) = 5 t²: 500 in all, 125 before 5 s
        assertEquals(500, s.size(), 1);
        assertEquals(125, s.countBetween(0, 5_000_000_000L), 1);
        assertEquals(375, s.countBetween(5_000_000_000L, 10_000_000_000L), 1);
        for (int i = 1; i < s.size(); i++) {
            assertTrue(s.offset(i) > s.offset(i - 1), "ascending at " + i);
        }
    }

    @Test
    void aPoissonRampFollowsTheRampToo() {
        Schedule s = Schedule.of(new RateShape(100, 300), Arrivals.POISSON, Duration.ofSeconds(20), 3);
        // Λ(t) = 100 t + 200 t² / 40: Λ(10) = 1500 in the first half, Λ(20) − Λ(10) = 2500 in the second
        assertEquals(1500, s.countBetween(0, 10_000_000_000L), 200);
        assertEquals(2500, s.countBetween(10_000_000_000L, 20_000_000_000L), 250);
    }

    @Test
    void aScheduleTooLargeToHoldIsRefusedWithTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedule.of(RateShape.constant(10_000_000), Arrivals.CONSTANT, Duration.ofSeconds(10), 1));
        assertEquals("schedule would hold 100000000 requests (10000000/s for 10 s), limit 20000000", e.getMessage());
    }

    @Test
    void ratesMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RateShape(0, 0));
        assertEquals("a rate shape needs a rate above 0, got 0 to 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateShape.constant(-1));
        assertEquals("arrivals must be constant or poisson, got 'bursty'",
                assertThrows(IllegalArgumentException.class, () -> Arrivals.parse("bursty")).getMessage());
    }
}
