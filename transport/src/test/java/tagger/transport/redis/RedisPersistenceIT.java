package tagger.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tagger.common.BatchOutcome;
import tagger.common.ModelRef;
import tagger.common.Tag;
import tagger.common.Names;
import tagger.fixtures.RedisProcess;
import tagger.transport.BatchStore;

/**
 * Batches survive a Redis restart with the configuration deploy/ and ./tagger use (append-only file,
 * fsync every second), and do not without it. Runs a redis-server of its own.
 */
class RedisPersistenceIT {
    private static final Names NAMES = new Names("it-" + UUID.randomUUID().toString().substring(0, 8));

    @Test
    void withAnAppendOnlyFileABatchItsOutcomesAndItsIdempotencyKeySurviveARestart() throws Exception {
        try (RedisProcess redis = RedisProcess.start(true)) {
            BatchStore.NewBatch b = newBatch("key-1");
            try (RedisBatchStore store = new RedisBatchStore(redis.uri(), NAMES)) {
                store.claim(b);
                store.accepted(b.batchId(), 2);
                store.record(List.of(outcome(b.batchId(), "a")));
            }
            redis.stop();
            redis.start();
            try (RedisBatchStore store = new RedisBatchStore(redis.uri(), NAMES)) {
                BatchStore.Batch batch = store.batch(b.batchId()).orElseThrow();
                assertEquals(2, batch.items());
                assertEquals(1, batch.done());
                BatchStore.Claim again = store.claim(newBatch("key-1"));
                assertFalse(again.created(), "the idempotency key still names the first batch");
                assertEquals(b.batchId(), again.batch().id());
            }
        }
    }

    @Test
    void withoutPersistenceARestartLosesTheBatch() throws Exception {
        try (RedisProcess redis = RedisProcess.start(false)) {
            BatchStore.NewBatch b = newBatch(null);
            try (RedisBatchStore store = new RedisBatchStore(redis.uri(), NAMES)) {
                store.claim(b);
            }
            redis.stop();
            redis.start();
            try (RedisBatchStore store = new RedisBatchStore(redis.uri(), NAMES)) {
                assertTrue(store.batch(b.batchId()).isEmpty());
            }
        }
    }

    private static BatchStore.NewBatch newBatch(String key) {
        return new BatchStore.NewBatch("b-" + UUID.randomUUID(), key, "fp-1", 3, 0.25, null,
                java.time.Duration.ofHours(1));
    }

    private static BatchStore.ItemResult outcome(String batchId, String itemId) {
        return new BatchStore.ItemResult(batchId, new BatchOutcome(itemId, "http://images.test/" + itemId + ".jpg",
                List.of(new Tag("cat", 0.875)), new ModelRef("demo", "1"), null));
    }
}
