package tagger.transport.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;
import tagger.common.Json;
import tagger.common.Names;
import tagger.common.TagResult;
import tagger.transport.ResultFeed;
import tagger.transport.ResultStore;
import tagger.transport.StoreUnavailableException;

/**
 * Results in Redis: each stored once under its request id with a TTL (first writer wins), then
 * announced on the waiting api-server's pub/sub channel; read back with MGET when a notification
 * may have been missed.
 *
 * <p>Commands go through a small pool with connect and read timeouts (a Redis that is down or
 * unreachable fails a call within about two seconds with {@link StoreUnavailableException}).
 * Each subscription has its own connection and thread, see {@link ResultSubscription}.
 */
public final class RedisResultStore implements ResultStore, ResultFeed {
    /** Real-time callers wait seconds; an hour leaves room for reconnects and late fetches. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(1);
    static final int CONNECT_TIMEOUT_MS = 1_000;
    static final int READ_TIMEOUT_MS = 2_000;
    private static final int POOL_SIZE = 16;
    private static final Logger log = LoggerFactory.getLogger(RedisResultStore.class);

    private final Names names;
    private final long ttlSeconds;
    private final Duration pingInterval;
    private final HostAndPort address;
    private final URI uri;
    private final String where;
    private final RedisClient client;
    private final List<ResultSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService pinger;
    private volatile boolean closed;

    public RedisResultStore(URI uri, Names names) {
        this(uri, names, DEFAULT_TTL, DEFAULT_PING_INTERVAL);
    }

    /**
     * @param resultTtl    how long a stored result stays readable (whole seconds, at least one)
     * @param pingInterval how often subscriptions ping Redis; three missed intervals mean the
     *                     subscription is dead and it reconnects
     */
    public RedisResultStore(URI uri, Names names, Duration resultTtl, Duration pingInterval) {
        if (resultTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("result TTL must be at least 1 s, got " + resultTtl.toMillis() + " ms");
        }
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("Redis URI must look like redis://[:password@]host:6379[/db], got "
                    + redacted(uri));
        }
        this.names = Objects.requireNonNull(names, "names");
        this.ttlSeconds = resultTtl.toSeconds();
        this.pingInterval = pingInterval;
        this.uri = uri;
        this.address = JedisURIHelper.getHostAndPort(uri);
        this.where = redacted(uri);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(Duration.ofMillis(READ_TIMEOUT_MS));
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        this.client = RedisClient.builder().hostAndPort(address).clientConfig(config("tagger-results", null))
                .poolConfig(pool)
                .build();
    }

    @Override
    public int complete(List<ResultStore.Completion> completions) {
        if (completions.isEmpty()) {
            return 0;
        }
        try {
            return CompleteScript.run(client, names, ttlSeconds, completions);
        } catch (JedisNoScriptException e) {
            // Redis restarted or its script cache was flushed: load once and rerun the batch (SET NX keeps it idempotent)
            client.scriptLoad(CompleteScript.SOURCE);
            return CompleteScript.run(client, names, ttlSeconds, completions);
        } catch (JedisException e) {
            throw new StoreUnavailableException("storing " + completions.size() + " results in Redis at " + where
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, TagResult> fetch(Collection<String> requestIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(requestIds));
        Map<String, TagResult> found = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        List<String> values;
        try {
            values = client.mget(ids.stream().map(names::resultKey).toArray(String[]::new));
        } catch (JedisException e) {
            throw new StoreUnavailableException("reading " + ids.size() + " results from Redis at " + where
                    + " failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < ids.size(); i++) {
            String json = values.get(i);
            if (json == null) {
                continue;
            }
            try {
                found.put(ids.get(i), Json.read(json, TagResult.class));
            } catch (RuntimeException e) {
                log.warn("stored result of request {} is not valid result JSON, ignoring it: {}", ids.get(i),
                        e.getMessage());
            }
        }
        return found;
    }

    @Override
    public synchronized void subscribe(String instanceId, Listener listener) {
        if (closed) {
            throw new IllegalStateException("the result store is closed");
        }
        if (pinger == null) {
            pinger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tagger-redis-pinger");
                t.setDaemon(true);
                return t;
            });
        }
        String clientName = ("tagger-sub-" + names.namespace() + "-" + instanceId).replaceAll("[^A-Za-z0-9_.:-]", "_");
        // RESP2: see ResultSubscription for why a subscribed connection must not speak RESP3 with Jedis
        ResultSubscription s = new ResultSubscription(address, config(clientName, RedisProtocol.RESP2),
                names.doneChannel(instanceId),
                listener, pinger, pingInterval.toMillis(), where);
        subscriptions.add(s);
        s.start();
    }

    /** PING through the pool; false when Redis does not answer within the connect and read timeouts. */
    @Override
    public boolean isReady() {
        try {
            return !closed && "PONG".equals(client.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            closed = true;
            p = pinger;
        }
        for (ResultSubscription s : subscriptions) {
            s.close();
        }
        if (p != null) {
            p.shutdownNow();
        }
        client.close();
    }

    /** @param protocol null for the client's default (RESP3 with Jedis 8) */
    private JedisClientConfig config(String clientName, RedisProtocol protocol) {
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

    static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
