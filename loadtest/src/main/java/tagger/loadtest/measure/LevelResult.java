package tagger.loadtest.measure;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything measured in one level's window (warm-up excluded).
 *
 * @param latency         from the intended send time to the answer: coordinated-omission corrected,
 *                        the number to quote
 * @param latencyFromSend from the actual send time to the answer (what a closed-loop tool reports)
 * @param statuses        requests by HTTP status ("200", "429") or "transport:&lt;kind&gt;"
 * @param itemErrors      failed images by error code (from each result's {@code error.code})
 * @param requestErrors   refused requests by error code (e.g. "overloaded" with 429)
 * @param stages          {@code Server-Timing} stages of successful requests
 * @param scenarios       each workload's numbers
 * @param server          metrics scraped from the servers during the window
 * @param latencyHdr      the latency histogram (µs), HdrHistogram-compressed and base64-encoded
 * @param bulkBackground  the bulk batches that ran beside this level, null when none did
 */
public record LevelResult(
        LevelInfo info,
        Counts counts,
        Throughput throughput,
        Percentiles latency,
        Percentiles latencyFromSend,
        Map<String, Long> statuses,
        Map<String, Long> itemErrors,
        Map<String, Long> requestErrors,
        Map<String, Percentiles> stages,
        Map<String, ScenarioStats> scenarios,
        GeneratorStats generator,
        SelfCheck selfCheck,
        Map<String, ServerMetric> server,
        String latencyHdr,
        BulkBackground bulkBackground) {

    /** This result with the numbers of the bulk batches that ran beside it. */
    public LevelResult withBulkBackground(BulkBackground b) {
        return new LevelResult(info, counts, throughput, latency, latencyFromSend, statuses, itemErrors, requestErrors,
                stages, scenarios, generator, selfCheck, server, latencyHdr, b);
    }

    /** The latency histogram (µs) decoded again, e.g. to read any percentile or merge levels. */
    public Histogram latencyHistogram() {
        return Histograms.decode(latencyHdr);
    }
}
