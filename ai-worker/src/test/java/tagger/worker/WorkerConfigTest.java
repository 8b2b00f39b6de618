package tagger.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.transport.rabbit.RabbitTopology;

class WorkerConfigTest {
    @TempDir
    Path modelDir;

    private Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("TAGGER_MODEL_DIR", modelDir.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    private static List<String> problems(Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnv(env));
        String[] lines = e.getMessage().split("\n");
        assertEquals("invalid ai-worker configuration:", lines[0]);
        return Arrays.stream(lines).skip(1).map(l -> l.replaceFirst("^  - ", "")).toList();
    }

    @Test
    void onlyTheModelDirectoryIsRequiredAndEverythingElseHasItsDefault() {
        WorkerConfig c = WorkerConfig.fromEnv(env());
        assertEquals(modelDir, c.modelDir());
        assertEquals("auto", c.device());
        assertEquals(URI.create("amqp://guest:guest@127.0.0.1:5672"), c.rabbitUri());
        assertEquals(URI.create("redis://127.0.0.1:6379"), c.redisUri());
        assertEquals("tagger", c.names().namespace());
        assertEquals(16, c.maxBatch());
        assertEquals(Duration.ofMillis(10), c.maxBatchWait());
        assertEquals(32, c.prefetch(), "two batches: one preprocessing while one runs");
        assertEquals(Runtime.getRuntime().availableProcessors(), c.preprocessThreads());
        assertEquals(0, c.intraOpThreads());
        assertEquals(RabbitTopology.DEFAULT_DELIVERY_LIMIT, c.maxDeliveries());
        assertEquals(Duration.ofHours(1), c.resultTtl());
        assertEquals("0.0.0.0", c.adminHost());
        assertEquals(9090, c.adminPort());
        assertEquals(50_000_000L, c.maxDecodePixels());
    }

    @Test
    void theDefaultWorkerIdIsUniquePerStart() {
        String a = WorkerConfig.fromEnv(env()).workerId();
        assertTrue(a.startsWith("worker-"), a);
        assertNotEquals(a, WorkerConfig.fromEnv(env()).workerId());
    }

    @Test
    void theDefaultPrefetchFollowsTheBatchSize() {
        assertEquals(200, WorkerConfig.fromEnv(env("TAGGER_MAX_BATCH", "100")).prefetch());
        assertEquals(8, WorkerConfig.fromEnv(env("TAGGER_MAX_BATCH", "1")).prefetch(), "never below 8");
    }

    @Test
    void everySettingIsRead() {
        WorkerConfig c = WorkerConfig.fromEnv(env(
                "TAGGER_DEVICE", "CUDA",
                "TAGGER_MAX_BATCH", "8",
                "TAGGER_MAX_BATCH_WAIT_MS", "0",
                "TAGGER_PREFETCH", "8",
                "TAGGER_PREPROCESS_THREADS", "3",
                "TAGGER_INTRA_OP_THREADS", "2",
                "TAGGER_MAX_DELIVERIES", "2",
                "TAGGER_RESULT_TTL_MS", "60000",
                "TAGGER_ADMIN_PORT", "0",
                "TAGGER_MAX_DECODE_PIXELS", "1000",
                "TAGGER_WORKER_ID", "w-1",
                "TAGGER_NAMESPACE", "it-ns"));
        assertEquals("cuda", c.device(), "choices are case-insensitive and kept in the documented spelling");
        assertEquals(8, c.maxBatch());
        assertEquals(Duration.ZERO, c.maxBatchWait());
        assertEquals(8, c.prefetch());
        assertEquals(3, c.preprocessThreads());
        assertEquals(2, c.intraOpThreads());
        assertEquals(2, c.maxDeliveries());
        assertEquals(Duration.ofMinutes(1), c.resultTtl());
        assertEquals(0, c.adminPort());
        assertEquals(1000L, c.maxDecodePixels());
        assertEquals("w-1", c.workerId());
        assertEquals("it-ns", c.names().namespace());
    }

    @Test
    void aMissingModelDirectoryIsReported() {
        assertEquals(List.of("TAGGER_MODEL_DIR must name a model directory (model.json + .onnx + labels), got nothing"),
                problems(Map.of()));
    }

    @Test
    void aModelDirectoryThatDoesNotExistIsReportedWithItsPath() {
        Path missing = modelDir.resolve("nope");
        assertEquals(List.of("TAGGER_MODEL_DIR must be an existing directory, got '" + missing + "'"),
                problems(Map.of("TAGGER_MODEL_DIR", missing.toString())));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsValue() {
        assertEquals(List.of(
                        "TAGGER_MAX_BATCH must be between 1 and 1024, got 0",
                        "TAGGER_DEVICE must be one of [auto, cpu, cuda], got 'gpu'",
                        "TAGGER_MAX_BATCH_WAIT_MS must be an integer between 0 and 10000, got '10ms'",
                        "TAGGER_PREPROCESS_THREADS must be between 1 and 1024, got -2",
                        "TAGGER_RESULT_TTL_MS must be between 1000 and 2592000000, got 10"),
                problems(env(
                        "TAGGER_DEVICE", "gpu",
                        "TAGGER_MAX_BATCH", "0",
                        "TAGGER_MAX_BATCH_WAIT_MS", "10ms",
                        "TAGGER_PREPROCESS_THREADS", "-2",
                        "TAGGER_RESULT_TTL_MS", "10")));
    }

    @Test
    void aServiceUriWithTheWrongSchemeIsReportedWithItsValue() {
        // schemes are sorted by a fixed common.Settings; older builds of it listed them in a random order
        List<String> problems = problems(env("TAGGER_REDIS_URI", "localhost:6379"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches("TAGGER_REDIS_URI must be a URI with scheme redis or redis-sentinel or rediss"
                + " and a host, got 'localhost:6379'"), problems.get(0));
    }

    @Test
    void aPrefetchBelowTheBatchSizeIsRefusedBecauseBatchesCouldNeverFill() {
        assertEquals(List.of("TAGGER_PREFETCH (8) must be at least TAGGER_MAX_BATCH (32), or batches can never fill"),
                problems(env("TAGGER_MAX_BATCH", "32", "TAGGER_PREFETCH", "8")));
    }

    @Test
    void aPrefetchEqualToTheBatchSizeIsAllowed() {
        assertEquals(32, WorkerConfig.fromEnv(env("TAGGER_MAX_BATCH", "32", "TAGGER_PREFETCH", "32")).prefetch());
    }

    @Test
    void theWorkersDeliveryLimitMayNotExceedTheQueuesSoTheWorkerGivesUpFirst() {
        int limit = RabbitTopology.DEFAULT_DELIVERY_LIMIT;
        assertEquals(List.of("TAGGER_MAX_DELIVERIES must be between 2 and " + limit + ", got " + (limit + 1)),
                problems(env("TAGGER_MAX_DELIVERIES", String.valueOf(limit + 1))));
        assertEquals(limit, WorkerConfig.fromEnv(env("TAGGER_MAX_DELIVERIES", String.valueOf(limit))).maxDeliveries());
    }

    @Test
    void aDeliveryLimitOfOneIsRefusedBecauseTheWorkerWouldGiveUpEveryJobOnArrival() {
        // regression: the worker gives up on the maxDeliveries-th delivery without trying it (that delivery
        // writes the delivery_limit error), so 1 was accepted and turned every job into delivery_limit
        assertEquals(List.of("TAGGER_MAX_DELIVERIES must be between 2 and " + RabbitTopology.DEFAULT_DELIVERY_LIMIT
                + ", got 1"), problems(env("TAGGER_MAX_DELIVERIES", "1")));
        assertEquals(2, WorkerConfig.fromEnv(env("TAGGER_MAX_DELIVERIES", "2")).maxDeliveries());
    }
}
