package tagger.transport.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import tagger.common.Names;
import tagger.transport.PresenceBoard;
import tagger.transport.StoreUnavailableException;

/**
 * Presence in Redis: one key per instance ({@link Names#presenceKey}) with a TTL, plus a set per kind
 * ({@link Names#presenceIndex}) so that readers find the instances without a keyspace SCAN. Readers
 * remove set members whose key expired.
 */
public final class RedisPresenceBoard implements PresenceBoard {
    private final Names names;
    private final String where;
    private final UnifiedJedis client;

    public RedisPresenceBoard(URI uri, Names names) {
        this.names = names;
        this.where = RedisResultStore.redacted(uri);
        // one heartbeat writer and the occasional reader
        this.client = RedisConnections.pooled(uri, "tagger-presence", 2);
    }

    @Override
    public void announce(String kind, String id, String json, Duration ttl) {
        try (AbstractTransaction tx = client.multi()) {
            tx.set(names.presenceKey(kind, id), json, SetParams.setParams().px(ttl.toMillis()));
            tx.sadd(names.presenceIndex(kind), id);
            tx.exec();
        } catch (JedisException e) {
            throw new StoreUnavailableException("announcing " + kind + " " + id + " in Redis at " + where
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void withdraw(String kind, String id) {
        try (AbstractTransaction tx = client.multi()) {
            tx.del(names.presenceKey(kind, id));
            tx.srem(names.presenceIndex(kind), id);
            tx.exec();
        } catch (JedisException e) {
            throw new StoreUnavailableException("withdrawing " + kind + " " + id + " from Redis at " + where
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> members(String kind) {
        try {
            List<String> ids = new ArrayList<>(client.smembers(names.presenceIndex(kind)));
            if (ids.isEmpty()) {
                return List.of();
            }
            List<String> values = client.mget(ids.stream().map(id -> names.presenceKey(kind, id)).toArray(String[]::new));
            List<String> live = new ArrayList<>(ids.size());
            List<String> expired = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (values.get(i) == null) {
                    expired.add(ids.get(i));
                } else {
                    live.add(values.get(i));
                }
            }
            if (!expired.isEmpty()) {
                // an instance that comes back re-adds itself with its next announcement
                client.srem(names.presenceIndex(kind), expired.toArray(String[]::new));
            }
            return live;
        } catch (JedisException e) {
            throw new StoreUnavailableException("reading " + kind + " presence from Redis at " + where + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** The ids in the index of a kind, expired or not (for tests of the pruning). */
    Set<String> indexed(String kind) {
        return client.smembers(names.presenceIndex(kind));
    }

    @Override
    public void close() {
        client.close();
    }
}
