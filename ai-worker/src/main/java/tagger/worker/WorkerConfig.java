package tagger.worker;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tagger.common.Names;
import tagger.common.Settings;
import tagger.common.TrafficClass;
import tagger.transport.rabbit.RabbitTopology;

/**
 * Everything an ai-worker can be told, read from {@code TAGGER_*} environment variables and
 * validated at startup (see the configuration table in the README and the batching defaults in
 * docs/decisions.md).
 *
 * @param maxBatch          most images per inference call
 * @param maxBatchWait      longest a ready image waits for batch mates (only while more are coming)
 * @param prefetch          unacknowledged deliveries held per queue; at least 2 × maxBatch keeps the
 *                          next batch preprocessing while one runs
 * @param preprocessThreads threads decoding and resizing images
 * @param intraOpThreads    ONNX Runtime threads inside one inference call (0 = runtime default)
 * @param maxDeliveries     deliveries of one job; the last of them is not tried but ends it as a delivery_limit
 *                          error and dead-letters it (so at least 2)
 * @param resultTtl         how long results stay readable in Redis
 * @param maxDecodePixels   images above this are not decoded (decompression-bomb guard)
 * @param queueMaxLengths   per traffic class, the queue bound declared with the queues (the same on every service)
 * @param bulkTopUp         most bulk images added to a batch that holds real-time ones; -1 = by device
 * @param cacheTtl          how long a successful result stays in the result cache (0 = this worker caches nothing)
 * @param cacheRedisUri     the Redis holding the result cache (by default the result store's)
 */
public record WorkerConfig(
        Path modelDir,
        String device,
        URI rabbitUri,
        URI redisUri,
        Names names,
        String workerId,
        int maxBatch,
        Duration maxBatchWait,
        int prefetch,
        int preprocessThreads,
        int intraOpThreads,
        int maxDeliveries,
        Duration resultTtl,
        String adminHost,
        int adminPort,
        long maxDecodePixels,
        Map<TrafficClass, Integer> queueMaxLengths,
        int bulkTopUp,
        Duration cacheTtl,
        URI cacheRedisUri) {

    public static WorkerConfig fromEnv(Map<String, String> env) {
        Settings s = new Settings(env);
        int cores = Runtime.getRuntime().availableProcessors();
        String dir = s.string("TAGGER_MODEL_DIR", null);
        if (dir == null) {
            s.problem("TAGGER_MODEL_DIR must name a model directory (model.json + .onnx + labels), got nothing");
        } else if (!Files.isDirectory(Path.of(dir))) {
            s.problem("TAGGER_MODEL_DIR must be an existing directory, got '" + dir + "'");
        }
        int maxBatch = s.integer("TAGGER_MAX_BATCH", 16, 1, 1024);
        WorkerConfig c = new WorkerConfig(
                dir == null ? null : Path.of(dir),
                s.choice("TAGGER_DEVICE", "auto", List.of("auto", "cpu", "cuda")),
                s.rabbitUri(),
                s.redisUri(),
                s.names(),
                s.string("TAGGER_WORKER_ID", Settings.processId("worker")),
                maxBatch,
                s.millis("TAGGER_MAX_BATCH_WAIT_MS", 10, 0, 10_000),
                s.integer("TAGGER_PREFETCH", Math.max(2 * maxBatch, 8), 1, 10_000),
                s.integer("TAGGER_PREPROCESS_THREADS", cores, 1, 1024),
                s.integer("TAGGER_INTRA_OP_THREADS", 0, 0, 1024),
                // at most the queues' x-delivery-limit, so that the worker's give-up (an error result) comes first;
                // at least 2, since the last allowed delivery only writes that error: 1 would never tag anything
                s.integer("TAGGER_MAX_DELIVERIES", RabbitTopology.DEFAULT_DELIVERY_LIMIT, 2,
                        RabbitTopology.DEFAULT_DELIVERY_LIMIT),
                s.millis("TAGGER_RESULT_TTL_MS", 3_600_000, 1_000, 30L * 24 * 3_600_000),
                s.string("TAGGER_ADMIN_HOST", "0.0.0.0"),
                s.integer("TAGGER_ADMIN_PORT", 9090, 0, 65535),
                s.longValue("TAGGER_MAX_DECODE_PIXELS", 50_000_000, 1, 2_000_000_000),
                s.queueMaxLengths(),
                s.integer("TAGGER_BULK_TOPUP", -1, -1, 1024),
                s.millis("TAGGER_CACHE_TTL_MS", 86_400_000, 0, 365L * 24 * 3_600_000),
                s.cacheRedisUri());
        if (c.prefetch < c.maxBatch) {
            s.problem("TAGGER_PREFETCH (" + c.prefetch + ") must be at least TAGGER_MAX_BATCH (" + c.maxBatch
                    + "), or batches can never fill");
        }
        s.throwIfInvalid("ai-worker");
        return c;
    }

}
