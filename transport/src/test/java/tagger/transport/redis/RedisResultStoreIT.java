package tagger.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import tagger.common.ModelRef;
import tagger.common.Sha256;
import tagger.common.TagResult;
import tagger.testkit.TestNamespace;
import tagger.transport.BatchStore;
import tagger.transport.ResultFeed;
import tagger.transport.ResultStore;
import tagger.transport.ResultStoreContract;
import tagger.transport.SampleJobs;

class RedisResultStoreIT extends ResultStoreContract {
    private TestNamespace ns;
    private RedisResultStore store;
    private RedisBatchStore batches;

    @BeforeEach
    void connect() {
        ns = TestNamespace.random();
        store = new RedisResultStore(ns.redisUri(), ns.names());
        batches = new RedisBatchStore(ns.redisUri(), ns.names());
    }

    @AfterEach
    void cleanUp() {
        store.close();
        batches.close();
        ns.close();
    }

    @Override
    protected ResultStore store() {
        return store;
    }

    @Override
    protected BatchStore batches() {
        return batches;
    }

    @Override
    protected ResultFeed feed() {
        return store;
    }

    @Test
    void aCompletionsCacheEntryIsStoredWithItsTtlAndReadBackByTheCacheReader() {
        TagResult result = SampleJobs.result("r-cache-1", "cat");
        String key = ns.names().cacheKey(Sha256.hex("bytes"), new ModelRef("m", "1"));
        store.complete(List.of(new ResultStore.Completion(result, null, null,
                new ResultStore.CacheEntry(key, "{\"entry\":1}", Duration.ofSeconds(30)))));

        try (RedisClient redis = RedisClient.create(ns.redisUri());
                RedisCacheReader reader = new RedisCacheReader(ns.redisUri())) {
            long ttl = redis.pttl(key);
            assertTrue(ttl > 0 && ttl <= 30_000, "TTL " + ttl);
            assertEquals(Arrays.asList("{\"entry\":1}", null), reader.read(List.of(key, key + "-other")));
        }
        assertEquals(1, store.fetch(List.of("r-cache-1")).size(), "the result itself is stored as before");
    }
}
