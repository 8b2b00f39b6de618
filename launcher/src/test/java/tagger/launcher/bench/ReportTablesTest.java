package tagger.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tagger.common.Timings;

/** The summary tables both benchmarks print: which statistic lands in which cell. */
class ReportTablesTest {

    @Test
    void throughputRatioIsTheMedianOfPerRunRatiosNotTheRatioOfMedians() {
        Map<Integer, List<ThroughputCommand.Run>> runs = new TreeMap<>();
        // per run: per-run ratios 0.9, 0.5 and 0.917 (median 0.9); the ratio of the
        // medians, 100 / 120 = 0.833, would pair numbers from different runs
        runs.put(8, List.of(new ThroughputCommand.Run(100, 0.99, 90, 0.9, 0.5),
                new ThroughputCommand.Run(200, 0.98, 100, 0.97, 0.7),
                new ThroughputCommand.Run(120, 0.97, 110, 0.95, 0.6)));
        runs.put(1, List.of(new ThroughputCommand.Run(10, 1.0, 9, 0.8, 0.9)));

        String md = ThroughputCommand.table(runs).markdown();

        assertEquals("""
                | batch | raw img/s | worker img/s | worker/raw | duty cycle | on CPU raw / worker | worker/raw per CPU-s |
                |---|--:|--:|--:|--:|--:|--:|
                | 1 | 10.0 | 9.0 | 0.900 | 0.800 | 100% / 90% | 1.000 |
                | 8 | 120.0 (100.0-200.0) | 100.0 (90.0-110.0) | 0.900 (0.500-0.917) | 0.950 (0.900-0.970) | 98% / 60% | 1.482 (0.700-1.782) |
                """, md);
    }

    @Test
    void latencyTableHasOneRowPerStageWithPercentilesAcrossRuns() {
        StageSamples fast = new StageSamples();
        StageSamples slow = new StageSamples();
        StageSamples middle = new StageSamples();
        for (int i = 1; i <= 10; i++) {
            fast.add(new Timings(1, 1, 1, 1, 0, 1, 1, 10 + i, 1), 12 + i);
            slow.add(new Timings(1, 1, 1, 1, 0, 1, 1, 30 + i, 1), 32 + i);
            middle.add(new Timings(1, 1, 1, 1, 0, 1, 1, 20 + i, 1), 22 + i);
        }

        String console = LatencyCommand.table(List.of(fast, slow, middle)).console();

        // per run, total is 11..20, 31..40 and 21..30 ms: p50 15, 35, 25 -> median 25, range 15-35;
        // overhead is total - 1 - 1 - 1
        assertEquals("""
                stage               p50   p90   p99  p50 range
                ----------------------------------------------
                download            1.0   1.0   1.0    1.0-1.0
                publish             1.0   1.0   1.0    1.0-1.0
                queue               1.0   1.0   1.0    1.0-1.0
                preprocess          1.0   1.0   1.0    1.0-1.0
                batchWait           0.0   0.0   0.0    0.0-0.0
                inference           1.0   1.0   1.0    1.0-1.0
                result              1.0   1.0   1.0    1.0-1.0
                total              25.0  29.0  30.0  15.0-35.0
                overhead           22.0  26.0  27.0  12.0-32.0
                client round trip  27.0  31.0  32.0  17.0-37.0
                """, console);
    }
}
