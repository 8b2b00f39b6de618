package tagger.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import tagger.fixtures.RedisProcess;

/**
 * A Redis restart closes every connection the pool holds idle. Once Redis is back, no call may fail
 * on one of those: each is found dead when borrowed and replaced. Runs a redis-server of its own.
 */
class RedisRestartIT {
    private static final int HELD = 6;

    @Test
    void afterARestartNoCallFailsOnAConnectionTheRestartClosed() throws Exception {
        try (RedisProcess redis = RedisProcess.start(false);
                UnifiedJedis client = RedisConnections.pooled(redis.uri(), "restart-it")) {
            fillThePool(client);
            redis.stop();
            redis.start();
            String key = "restart-it-" + UUID.randomUUID();
            for (int i = 0; i < 2 * HELD; i++) {
                // before connections were checked on borrow, the first of these failed with
                // "Unexpected end of stream"
                assertEquals(i + 1, client.incr(key), "call " + i + " after the restart");
            }
        }
    }

    /** Leaves {@link #HELD} idle connections in the pool: that many calls held open at the same time. */
    private static void fillThePool(UnifiedJedis client) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(HELD);
        try {
            CountDownLatch started = new CountDownLatch(HELD);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                calls.add(threads.submit(() -> {
                    started.countDown();
                    // a blocking pop on a list nobody fills holds its connection for 0.5 s
                    return client.blpop(0.5, "restart-it-empty-" + UUID.randomUUID());
                }));
            }
            started.await(10, TimeUnit.SECONDS);
            for (Future<?> f : calls) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
