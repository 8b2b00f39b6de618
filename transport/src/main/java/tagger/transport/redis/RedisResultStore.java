package tagger.transport.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import tagger.common.BatchOutcome;
import tagger.common.Json;
import tagger.common.Names;
import tagger.common.ServiceUri;
import tagger.common.TagResult;
import tagger.common.Threads;
import tagger.transport.BatchStore;
import tagger.transport.ResultFeed;
import tagger.transport.ResultStore;
import tagger.transport.StoreUnavailableException;

/**
 * Results in Redis: each stored once under its request id with a TTL (first writer wins), then
 * announced on the waiting api-server's pub/sub channel; read back with MGET when a notification
 * may have been missed. A completion's result cache entry is written in the same pipeline.
 *
 * <p>Commands go through a small pool with connect and read timeouts (a Redis that is down or
 * unreachable fails a call within about two seconds with {@link StoreUnavailableException}).
 * Each subscription has its own connection and thread, see {@link ResultSubscription}.
 */
public final class RedisResultStore implements ResultStore, ResultFeed {
    /** Real-time callers wait seconds; an hour leaves room for reconnects and late fetches. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RedisResultStore.class);

    private final Names names;
    private final long ttlSeconds;
    private final Duration pingInterval;
    /** Where subscriptions connect: the URI's host, or the master the sentinels announced last. */
    private final Supplier<HostAndPort> master;
    private final URI uri;
    private final String where;
    private final UnifiedJedis client;
    private final UnifiedJedis cacheClient; // null: entries go with the results
    private final String cacheWhere;
    private volatile boolean cacheFailing;
    private final List<ResultSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService pinger;
    private volatile boolean closed;

    public RedisResultStore(URI uri, Names names) {
        this(uri, names, DEFAULT_TTL, DEFAULT_PING_INTERVAL);
    }

    /**
     * @param resultTtl    how long a stored result stays readable (whole seconds, at least one)
     * @param pingInterval how often subscriptions ping Redis; three missed intervals (at least 1 s of
     *                     silence) mean the subscription is dead and it reconnects
     */
    public RedisResultStore(URI uri, Names names, Duration resultTtl, Duration pingInterval) {
        this(uri, names, resultTtl, pingInterval, uri);
    }

    /**
     * @param cacheUri where result cache entries go: the same Redis (one pipeline with the results) or
     *                 another one (its own round trip, before the results; a failure there is logged
     *                 and never holds a result back)
     */
    public RedisResultStore(URI uri, Names names, Duration resultTtl, Duration pingInterval, URI cacheUri) {
        if (resultTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("result TTL must be at least 1 s, got " + resultTtl.toMillis() + " ms");
        }
        RedisConnections.check(uri);
        this.names = Objects.requireNonNull(names, "names");
        this.ttlSeconds = resultTtl.toSeconds();
        this.pingInterval = pingInterval;
        this.uri = uri;
        this.where = redacted(uri);
        this.client = RedisConnections.pooled(uri, "tagger-results");
        this.master = RedisConnections.master(uri, client);
        this.cacheClient = cacheUri == null || cacheUri.equals(uri) ? null
                : RedisConnections.pooled(cacheUri, "tagger-cache-writer", 4);
        this.cacheWhere = cacheUri == null ? where : redacted(cacheUri);
    }

    @Override
    public int complete(List<ResultStore.Completion> completions) {
        return (int) completeEach(completions).stream().filter(Boolean::booleanValue).count();
    }

    @Override
    public List<Boolean> completeEach(List<ResultStore.Completion> completions) {
        if (completions.isEmpty()) {
            return List.of();
        }
        try {
            return store(completions, true);
        } catch (JedisException e) {
            throw new StoreUnavailableException("storing " + completions.size() + " results in Redis at " + where
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * One pipelined round trip: real-time results through {@link CompleteScript}, bulk items through
     * {@link BatchOutcomes}. Both scripts are idempotent, so what missed the script cache (Redis
     * restarted or flushed it) is simply run again after loading.
     */
    private List<Boolean> store(List<ResultStore.Completion> completions, boolean retryMissingScripts) {
        if (cacheClient != null) {
            storeCacheEntries(completions);
        }
        List<Response<Object>> replies = new ArrayList<>(completions.size());
        try (AbstractPipeline p = client.pipelined()) {
            for (ResultStore.Completion c : completions) {
                if (c.cache() != null && cacheClient == null) {
                    // before the result: whoever sees the result finds the entry too
                    p.set(c.cache().key(), c.cache().json(),
                            SetParams.setParams().px(Math.max(1, c.cache().ttl().toMillis())));
                }
                replies.add(c.batchId() == null ? CompleteScript.queue(p, names, ttlSeconds, c)
                        : BatchOutcomes.queue(p, names, new BatchStore.ItemResult(c.batchId(),
                                BatchOutcome.of(c.result()))));
            }
            p.sync();
        }
        Boolean[] first = new Boolean[completions.size()];
        List<Integer> missed = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            try {
                first[i] = Long.valueOf(1).equals(replies.get(i).get());
            } catch (JedisNoScriptException e) {
                if (!retryMissingScripts) {
                    throw e;
                }
                missed.add(i);
            }
        }
        if (!missed.isEmpty()) {
            CompleteScript.SCRIPT.load(client);
            BatchScripts.OUTCOME.load(client);
            List<Boolean> again = store(missed.stream().map(completions::get).toList(), false);
            for (int j = 0; j < missed.size(); j++) {
                first[missed.get(j)] = again.get(j);
            }
        }
        return Arrays.asList(first);
    }

    /** Entries for a Redis of their own: one pipeline, before the results; a failure only costs hits. */
    private void storeCacheEntries(List<ResultStore.Completion> completions) {
        if (completions.stream().allMatch(c -> c.cache() == null)) {
            return;
        }
        try (AbstractPipeline p = cacheClient.pipelined()) {
            for (ResultStore.Completion c : completions) {
                if (c.cache() != null) {
                    p.set(c.cache().key(), c.cache().json(),
                            SetParams.setParams().px(Math.max(1, c.cache().ttl().toMillis())));
                }
            }
            p.sync();
            cacheFailing = false;
        } catch (JedisException e) {
            if (!cacheFailing) {
                log.warn("storing result cache entries in Redis at {} failed (results are stored regardless): {}",
                        cacheWhere, e.getMessage());
                cacheFailing = true;
            }
        }
    }

    @Override
    public Set<String> cancelledBatches(Collection<String> batchIds) {
        return RedisBatchStore.cancelled(client, names, batchIds, where);
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
            pinger = Executors.newSingleThreadScheduledExecutor(Threads.single("tagger-redis-pinger"));
        }
        String clientName = ("tagger-sub-" + names.namespace() + "-" + instanceId).replaceAll("[^A-Za-z0-9_.:-]", "_");
        // RESP2: see ResultSubscription for why a subscribed connection must not speak RESP3 with Jedis
        ResultSubscription s = new ResultSubscription(master, config(clientName, RedisProtocol.RESP2),
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
        if (cacheClient != null) {
            cacheClient.close();
        }
    }

    private JedisClientConfig config(String clientName, RedisProtocol protocol) {
        return RedisConnections.config(uri, clientName, protocol);
    }

    static String redacted(URI uri) {
        if (uri.getHost() == null || RedisConnections.isSentinel(uri)) {
            return ServiceUri.redacted(uri); // every sentinel
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
