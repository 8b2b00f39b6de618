package tagger.loadtest.measure;

import java.util.Map;

/**
 * The bulk batches that ran beside a level's real-time load ({@code --bulk-background}), measured on
 * their own so that the level's latency, errors and SLO stay the real-time class's.
 *
 * @param batches          batches kept running at once
 * @param batchSize        URLs per batch
 * @param itemsFinished    items that finished (tagged, failed or cancelled) inside the measured window,
 *                         as the batches' status polls saw them
 * @param itemsPerSecond   {@code itemsFinished} over the window: the migration's throughput beside
 *                         real-time traffic
 * @param batchesCompleted batches submitted in the window whose last outcome arrived before the level ended
 * @param batchesSucceeded of those, every item tagged and answered exactly once
 * @param completion       submission to last outcome of the completed batches
 * @param statuses         completed batches by status (e.g. "200", "429", "transport:timeout")
 * @param itemErrors       failed items of the completed batches by error code
 * @param cancelledAtEnd   batches still running when the level ended, cancelled so that the next
 *                         level does not inherit their items
 */
public record BulkBackground(int batches, int batchSize, long itemsFinished, double itemsPerSecond,
        long batchesCompleted, long batchesSucceeded, Percentiles completion, Map<String, Long> statuses,
        Map<String, Long> itemErrors, int cancelledAtEnd) {
}
