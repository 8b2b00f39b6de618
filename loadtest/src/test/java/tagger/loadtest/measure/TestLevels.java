package tagger.loadtest.measure;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tagger.loadtest.workload.Exchange;

/** Builds level results from plain latencies through the real recorder, for tests of what consumes them. */
public final class TestLevels {
    private TestLevels() {
    }

    /**
     * A 10-second open-loop level: one successful answer per latency (with a Server-Timing
     * breakdown), then {@code failures} answers of HTTP 500.
     */
    public static LevelResult level(int index, double offeredRate, double[] latenciesMs, int failures) {
        LevelRecorder r = new LevelRecorder(0, 800_000_000L, 10_000_000L, new TimeSeries(0));
        long t = 0;
        for (double ms : latenciesMs) {
            r.sent(t, t, false);
            Map<String, Double> timing = new java.util.LinkedHashMap<>();
            timing.put("download", ms * 0.5);
            timing.put("inference", ms * 0.25);
            timing.put("total", ms);
            r.completed(t, t, t + (long) (ms * 1e6), new Exchange("url", 200, null, null, 1, 1, List.of(), timing, null));
            t += 1_000_000;
        }
        for (int i = 0; i < failures; i++) {
            r.sent(t, t, false);
            r.completed(t, t, t + 2_000_000, new Exchange("url", 500, null, "internal", 1, 0, List.of("internal"), Map.of(),
                    "HTTP 500"));
        }
        return r.finish(new LevelInfo(index, offeredRate + "/s", "poisson " + offeredRate + "/s", offeredRate, offeredRate, null, 10),
                0, GeneratorUsage.NONE, new Histogram(3), Map.of(), SelfCheck.Limits.DEFAULT, 100, true);
    }

    /** {@code n} latencies spread evenly from {@code fromMs} to {@code toMs}. */
    public static double[] spread(int n, double fromMs, double toMs) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = fromMs + (toMs - fromMs) * i / Math.max(1, n - 1);
        }
        return out;
    }
}
