package tagger.transport.redis;

import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * How this project connects to Redis: a small pool with connect and read timeouts, so that a Redis
 * that is down or unreachable fails a call within about two seconds instead of hanging.
 */
final class RedisConnections {
    static final int CONNECT_TIMEOUT_MS = 1_000;
    static final int READ_TIMEOUT_MS = 2_000;
    private static final int POOL_SIZE = 16;

    private RedisConnections() {
    }

    static RedisClient pooled(URI uri, String clientName) {
        return pooled(uri, clientName, POOL_SIZE);
    }

    static RedisClient pooled(URI uri, String clientName, int poolSize) {
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("Redis URI must look like redis://[:password@]host:6379[/db], got "
                    + RedisResultStore.redacted(uri));
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(Duration.ofMillis(READ_TIMEOUT_MS));
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config(uri, clientName)).poolConfig(pool).build();
    }

    static JedisClientConfig config(URI uri, String clientName) {
        return config(uri, clientName, null);
    }

    /** @param protocol null for the client's default (RESP3 with Jedis 8) */
    static JedisClientConfig config(URI uri, String clientName, RedisProtocol protocol) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MS)
                .socketTimeoutMillis(READ_TIMEOUT_MS)
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .clientName(clientName);
        if (protocol != null) {
            b.protocol(protocol);
        }
        return b.build();
    }
}
