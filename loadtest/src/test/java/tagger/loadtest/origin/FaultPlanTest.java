package tagger.loadtest.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void faultsAreDrawnInTheirSharesFromTheSeed() {
        FaultPlan plan = FaultPlan.parse("none", "404=1%,500=2%,429=1%,truncate=0.5%,drip=2%", Duration.ofSeconds(2));
        SplittableRandom random = new SplittableRandom(5);
        Map<Fault.Kind, Integer> counts = new EnumMap<>(Fault.Kind.class);
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts.merge(plan.sample(random).kind(), 1, Integer::sum);
        }
        assertEquals(0.01, counts.get(Fault.Kind.NOT_FOUND) / (double) n, 0.002);
        assertEquals(0.02, counts.get(Fault.Kind.SERVER_ERROR) / (double) n, 0.002);
        assertEquals(0.01, counts.get(Fault.Kind.THROTTLED) / (double) n, 0.002);
        assertEquals(0.005, counts.get(Fault.Kind.TRUNCATE) / (double) n, 0.0015);
        assertEquals(0.02, counts.get(Fault.Kind.DRIP) / (double) n, 0.002);
        assertEquals(0.935, counts.get(Fault.Kind.NONE) / (double) n, 0.004);
    }

    @Test
    void aLogNormalOriginHasItsMedianAndAHeavyTail() {
        LatencyModel model = LatencyModel.parse("lognormal:150ms:1.0");
        SplittableRandom random = new SplittableRandom(11);
        long[] samples = new long[50_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = model.sampleMillis(random);
        }
        Arrays.sort(samples);
        assertEquals(150, samples[samples.length / 2], 6);
        // p99 of exp(σZ) is e^(2.326σ) ≈ 10.2 × the median
        assertEquals(1537, samples[(int) (samples.length * 0.99)], 120);
    }

    @Test
    void fixedAndUniformLatenciesStayWhereTheyAreTold() {
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(20, LatencyModel.parse("fixed:20ms").sampleMillis(random));
        LatencyModel uniform = LatencyModel.parse("uniform:10ms:30ms");
        for (int i = 0; i < 1000; i++) {
            long v = uniform.sampleMillis(random);
            assertTrue(v >= 10 && v <= 30, "sample " + v);
        }
        assertEquals(0, LatencyModel.parse("none").sampleMillis(random));
    }

    @Test
    void aFaultTravelsInTheUrlAndComesBackTheSame() {
        Fault f = new Fault(153, Fault.Kind.DRIP, 2000);
        assertEquals("lat=153&fault=drip&drip=2000", f.query());
        assertEquals(f, Fault.fromQuery("153", "drip", "2000"));
        assertEquals("", Fault.NONE.query());
        assertEquals("fault=500", new Fault(0, Fault.Kind.SERVER_ERROR, 0).query());
    }

    @Test
    void badSpecificationsNameTheRuleAndTheValue() {
        assertEquals("fault shares add up to 120.0%, more than 100%", assertThrows(IllegalArgumentException.class,
                () -> FaultPlan.parse("none", "500=70%,404=50%", Duration.ofSeconds(1))).getMessage());
        assertEquals("fault must be one of 404, 500, 429, truncate, drip, got '503'", assertThrows(
                IllegalArgumentException.class, () -> FaultPlan.parse("none", "503=1%", Duration.ofSeconds(1))).getMessage());
        assertEquals("origin latency must be none, fixed:<d>, uniform:<min>:<max> or lognormal:<median>[:<sigma 0..4>] "
                + "(e.g. lognormal:150ms:1.0), got 'lognormal:fast'", assertThrows(IllegalArgumentException.class,
                () -> LatencyModel.parse("lognormal:fast")).getMessage());
        assertEquals("lat must be milliseconds between 0 and 60000, got 'x'", assertThrows(IllegalArgumentException.class,
                () -> Fault.fromQuery("x", null, null)).getMessage());
    }

    @Test
    void urlsAreUniquePerRequestAndItemAndCarryTheirFault() {
        FaultPlan plan = FaultPlan.parse("fixed:5ms", "500=100%", Duration.ofSeconds(1));
        OriginUrls urls = new OriginUrls("http://127.0.0.1:9/", "rtest", java.util.List.of(Photo.parse("640x480.jpg")),
                plan, 3);
        assertEquals("http://127.0.0.1:9/photo/640x480/rtest-7-0.jpg?lat=5&fault=500", urls.url(7, 0, true));
        assertEquals("http://127.0.0.1:9/photo/640x480/rtest-7-1.jpg", urls.url(7, 1, false));
    }
}
