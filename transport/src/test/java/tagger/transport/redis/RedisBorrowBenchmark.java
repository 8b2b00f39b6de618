package tagger.transport.redis;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;
import tagger.testkit.LocalServices;

/**
 * What checking pooled connections on borrow ({@link RedisConnections}: one {@code PING} first)
 * costs a Redis call: the product's pool beside the same pool without the check, against the local
 * Redis, one thread, interleaved rounds, median per call. Two call shapes: a single GET (the
 * api-server's cache lookup) and a pipelined write of 16 keys (a worker's batch of results). Not a
 * test; run it with
 * {@code mvn -B -o -pl transport -am verify -Dtest=RedisBorrowBenchmark -Dbench.redis=true -Dsurefire.failIfNoSpecifiedTests=false}
 * and read {@code transport/target/redis-borrow-benchmark.txt}.
 */
@EnabledIfSystemProperty(named = "bench.redis", matches = "true")
class RedisBorrowBenchmark {
    private static final int CALLS = 2_000;
    private static final int ROUNDS = 7;

    @Test
    void measure() throws Exception {
        URI uri = LocalServices.redisUri();
        try (UnifiedJedis checked = RedisConnections.pooled(uri, "bench-checked");
                UnifiedJedis unchecked = unchecked(uri)) {
            double[][] get = new double[2][ROUNDS];
            double[][] batch = new double[2][ROUNDS];
            for (int r = -2; r < ROUNDS; r++) { // two warm-up rounds
                UnifiedJedis[] order = r % 2 == 0 ? new UnifiedJedis[] {checked, unchecked}
                        : new UnifiedJedis[] {unchecked, checked};
                for (UnifiedJedis client : order) {
                    int i = client == checked ? 0 : 1;
                    double g = perCallMicros(() -> client.get("bench-borrow-missing"));
                    double b = perCallMicros(() -> {
                        try (AbstractPipeline p = client.pipelined()) {
                            for (int k = 0; k < 16; k++) {
                                p.setex("bench-borrow-" + k, 60, "result-" + k);
                            }
                            p.sync();
                        }
                    });
                    if (r >= 0) {
                        get[i][r] = g;
                        batch[i][r] = b;
                    }
                }
            }
            String report = String.format(Locale.ROOT, """
                    Redis calls through the pool, checked on borrow vs not (median of %d interleaved rounds of %d calls)
                    | call | checked on borrow µs | not checked µs | checked / not |
                    |---|--:|--:|--:|
                    | GET (a cache lookup) | %.1f | %.1f | %.2f |
                    | pipelined SETEX × 16 (a worker's batch write) | %.1f | %.1f | %.2f |
                    """, ROUNDS, CALLS, median(get[0]), median(get[1]), median(get[0]) / median(get[1]),
                    median(batch[0]), median(batch[1]), median(batch[0]) / median(batch[1]));
            System.out.println(report);
            Files.writeString(Path.of("target", "redis-borrow-benchmark.txt"), report);
        }
    }

    /** The product's pool settings, without the check on borrow. */
    private static UnifiedJedis unchecked(URI uri) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(16);
        pool.setMaxIdle(16);
        pool.setTestOnBorrow(false);
        return RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(RedisConnections.config(uri, "bench-unchecked")).poolConfig(pool).build();
    }

    private static double perCallMicros(Runnable call) {
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / 1_000.0 / CALLS;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
