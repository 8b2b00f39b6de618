package tagger.transport.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;
import tagger.common.ServiceUri;

/**
 * How this project connects to Redis — every Redis client of the product is built here: a small pool
 * with connect and read timeouts, so that a Redis that is down or unreachable fails a call within
 * about two seconds instead of hanging, and with connections checked on borrow, so that the first
 * calls after a Redis restart do not fail on connections the restart closed.
 *
 * <p>A {@code redis-sentinel://[:password@]s1:26379,s2:26379[/db]?master=name} URI builds a Jedis
 * Sentinel client instead: it asks the sentinels where the master is, listens to them for
 * {@code +switch-master}, and from then on hands out connections to the new master. The password and
 * database are the master's; the sentinels are asked without credentials. Subscriptions, which hold
 * a connection of their own, ask {@link #master} on each reconnect.
 */
final class RedisConnections {
    static final int CONNECT_TIMEOUT_MS = 1_000;
    static final int READ_TIMEOUT_MS = 2_000;
    private static final int POOL_SIZE = 16;

    private RedisConnections() {
    }

    static UnifiedJedis pooled(URI uri, String clientName) {
        return pooled(uri, clientName, POOL_SIZE);
    }

    static UnifiedJedis pooled(URI uri, String clientName, int poolSize) {
        check(uri);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(Duration.ofMillis(READ_TIMEOUT_MS));
        // A Redis that restarted (or failed over) leaves every idle connection dead, and the first
        // command on each would fail with "Unexpected end of stream" although Redis is back. A PING
        // on borrow (~35 us on loopback) finds the dead ones before a caller's command is written
        // to them; retrying the command instead is not safe, it may have run before the reply was lost.
        pool.setTestOnBorrow(true);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        if (isSentinel(uri)) {
            return RedisSentinelClient.builder().masterName(ServiceUri.query(uri, "master"))
                    .sentinels(sentinels(uri)).clientConfig(config(uri, clientName))
                    .sentinelClientConfig(DefaultJedisClientConfig.builder()
                            .connectionTimeoutMillis(CONNECT_TIMEOUT_MS).socketTimeoutMillis(READ_TIMEOUT_MS)
                            .clientName(clientName + "-sentinel").build())
                    .poolConfig(pool).build();
        }
        return RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config(uri, clientName)).poolConfig(pool).build();
    }

    /** @throws IllegalArgumentException naming the expected form when the URI is not a Redis URI */
    static void check(URI uri) {
        boolean valid;
        try {
            valid = isSentinel(uri) ? ServiceUri.query(uri, "master") != null && !sentinels(uri).isEmpty()
                    : JedisURIHelper.isValid(uri);
        } catch (IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw new IllegalArgumentException("Redis URI must look like redis://[:password@]host:6379[/db] or "
                    + "redis-sentinel://[:password@]host:26379[,host:26379...][/db]?master=name, got "
                    + RedisResultStore.redacted(uri));
        }
    }

    /** Where the master is now: the URI's host, or the one the sentinels last announced. */
    static Supplier<HostAndPort> master(URI uri, UnifiedJedis client) {
        if (client instanceof RedisSentinelClient sentinel) {
            return sentinel::getCurrentMaster;
        }
        HostAndPort fixed = JedisURIHelper.getHostAndPort(uri);
        return () -> fixed;
    }

    static JedisClientConfig config(URI uri, String clientName) {
        return config(uri, clientName, null);
    }

    /** @param protocol null for the client's default (RESP3 with Jedis 8) */
    static JedisClientConfig config(URI uri, String clientName, RedisProtocol protocol) {
        URI master = isSentinel(uri) ? ServiceUri.first(uri, "redis", ServiceUri.DEFAULT_SENTINEL_PORT) : uri;
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MS)
                .socketTimeoutMillis(READ_TIMEOUT_MS)
                .user(JedisURIHelper.getUser(master))
                .password(JedisURIHelper.getPassword(master))
                .database(JedisURIHelper.getDBIndex(master))
                .ssl(JedisURIHelper.isRedisSSLScheme(master))
                .clientName(clientName);
        if (protocol != null) {
            b.protocol(protocol);
        }
        return b.build();
    }

    static boolean isSentinel(URI uri) {
        return ServiceUri.REDIS_SENTINEL.equals(uri.getScheme());
    }

    private static Set<HostAndPort> sentinels(URI uri) {
        Set<HostAndPort> sentinels = new LinkedHashSet<>();
        for (ServiceUri.Host h : ServiceUri.hosts(uri, ServiceUri.DEFAULT_SENTINEL_PORT)) {
            sentinels.add(new HostAndPort(h.host(), h.port()));
        }
        return sentinels;
    }
}
