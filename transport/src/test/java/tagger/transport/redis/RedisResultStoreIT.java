package tagger.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
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

    @Test
    void cacheEntriesGoToTheirOwnRedisWhenOneIsConfigured() {
        URI cacheUri = URI.create(ns.redisUri().toString().replaceAll("/\\d*$", "") + "/9");
        String key = ns.names().cacheKey(Sha256.hex("own"), new ModelRef("m", "1"));
        try (RedisResultStore split = new RedisResultStore(ns.redisUri(), ns.names(), Duration.ofMinutes(1),
                        RedisResultStore.DEFAULT_PING_INTERVAL, cacheUri);
                RedisClient results = RedisClient.create(ns.redisUri());
                RedisClient cache = RedisClient.create(cacheUri)) {
            split.complete(List.of(new ResultStore.Completion(SampleJobs.result("r-own-1", "cat"), null, null,
                    new ResultStore.CacheEntry(key, "{}", Duration.ofSeconds(30)))));
            try {
                assertEquals("{}", cache.get(key));
                assertFalse(results.exists(key), "not in the result store's Redis");
                assertEquals(1, split.fetch(List.of("r-own-1")).size());
            } finally {
                cache.del(key);
            }
        }
    }

    @Test
    void anUnreachableCacheRedisNeverHoldsAResultBack() {
        try (RedisResultStore split = new RedisResultStore(ns.redisUri(), ns.names(), Duration.ofMinutes(1),
                RedisResultStore.DEFAULT_PING_INTERVAL, URI.create("redis://127.0.0.1:1"))) {
            int stored = split.complete(List.of(new ResultStore.Completion(SampleJobs.result("r-own-2", "cat"), null,
                    null, new ResultStore.CacheEntry("k", "{}", Duration.ofSeconds(30)))));
            assertEquals(1, stored);
            assertEquals(1, split.fetch(List.of("r-own-2")).size());
        }
    }
}
