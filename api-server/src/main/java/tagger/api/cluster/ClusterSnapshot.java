package tagger.api.cluster;

import java.util.List;
import java.util.Map;
import tagger.common.ModelRef;

/**
 * The body of {@code GET /v1/cluster}: the deployment as the operator sees it. Rates, latencies and
 * error counts cover the announcing instances' recent window ({@code windowSeconds}).
 *
 * @param at             epoch ms when this was computed
 * @param workersOnline  workers whose announcement has not expired
 * @param queues         per queue ("realtime", "bulk", "dead"); empty when the broker could not be read
 * @param queuesError    why {@code queues} is empty, or null
 * @param presenceError  why workers and api-servers are missing, or null
 * @param throughput     results stored per second: "total", and per traffic class
 * @param latency        per traffic class: api-server receipt to result stored, merged across workers
 * @param errors         per traffic class, error results by code during the window (real-time from the
 *                       api-servers, which also see refusals before the queue; bulk from the workers)
 * @param cache          result cache lookups of all api-servers during the window
 * @param migrationsError why {@code migrations} is empty, or null
 * @param edge           this api-server's edge preprocessing: the pixel spec it preprocesses for and its
 *                       JPEG decoder, or "off (why)"
 */
public record ClusterSnapshot(
        long at,
        double windowSeconds,
        int workersOnline,
        List<WorkerView> workers,
        List<ApiServerView> apiServers,
        Map<String, QueueView> queues,
        String queuesError,
        String presenceError,
        Map<String, Double> throughput,
        Map<String, Latency> latency,
        Map<String, Map<String, Long>> errors,
        Recommendation.Advice recommendation,
        List<MigrationView> migrations,
        CacheView cache,
        String migrationsError,
        String edge) {

    /**
     * One worker as it announced itself; {@code capacity} is its estimated img/s at full utilisation,
     * {@code jpegDecoder} {@code turbojpeg} or {@code imageio}, {@code pixels} the edge payloads it takes.
     */
    public record WorkerView(String id, ModelRef model, String device, double imagesPerSecond, Double capacity,
            double utilisation, double dutyCycle, double batchSizeP50, int maxBatch, int inFlight, long startedAt,
            long heartbeatAgeMs, String jpegDecoder, String pixels) {
    }

    public record ApiServerView(String id, int inFlight, int waiting, long startedAt, long heartbeatAgeMs) {
    }

    /** @param maxLength the bound this server declares for the queue, or null when unbounded */
    public record QueueView(long messages, int consumers, Integer maxLength) {
    }

    /** @param count successful answers measured; the percentiles are 0 when it is 0 */
    public record Latency(long count, double p50Ms, double p99Ms) {
    }

    /**
     * @param lookups images looked up (real-time and bulk); a lookup that could not reach the cache is a miss
     * @param hitRate hits over lookups, null when there were none
     */
    public record CacheView(long lookups, long hits, Double hitRate) {
    }

    /**
     * A running migration as {@code GET /v1/batches/{id}} shows it: tagged + failed + cancelled + pending =
     * total; the rate is the batch's current rate and the ETA its pending items at that rate (null while
     * no rate is known).
     *
     * @param deadline ISO-8601 time its client wants it finished by, or null when it named no target
     */
    public record MigrationView(String id, String status, long total, long tagged, long failed, long cancelled,
            long pending, double imagesPerSecond, Double etaSeconds, String deadline) {
    }
}
