package tagger.transport.redis;

import java.net.URI;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import tagger.transport.CacheReader;
import tagger.transport.StoreUnavailableException;

/** Result cache entries read from Redis with one MGET, through a small pool of its own. */
public final class RedisCacheReader implements CacheReader {
    private final UnifiedJedis client;
    private final String where;

    public RedisCacheReader(URI uri) {
        this.client = RedisConnections.pooled(uri, "tagger-cache", 8);
        this.where = RedisResultStore.redacted(uri);
    }

    @Override
    public List<String> read(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return client.mget(keys.toArray(String[]::new));
        } catch (JedisException e) {
            throw new StoreUnavailableException("reading " + keys.size() + " result cache entries from Redis at "
                    + where + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
