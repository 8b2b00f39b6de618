package tagger.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisClientConfig;

class RedisConnectionsTest {

    @Test
    void aSentinelUriGivesTheMastersCredentialsAndDatabase() {
        URI uri = URI.create("redis-sentinel://:secret@s1:26379,s2:26380/3?master=results");
        RedisConnections.check(uri);
        JedisClientConfig c = RedisConnections.config(uri, "tagger-test");
        assertEquals("secret", c.getPassword());
        assertEquals(3, c.getDatabase());
        assertEquals("tagger-test", c.getClientName());
        assertEquals("redis-sentinel://s1:26379,s2:26380/3", RedisResultStore.redacted(uri));
    }

    @Test
    void aSentinelUriWithoutItsMasterIsRefusedWithTheExpectedFormAndNoPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisConnections.check(URI.create("redis-sentinel://:secret@s1:26379,s2:26379")));
        assertTrue(e.getMessage().contains("redis-sentinel://[:password@]host:26379[,host:26379...][/db]?master=name"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }
}
