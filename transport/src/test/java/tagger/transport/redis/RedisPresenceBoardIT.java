package tagger.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tagger.testkit.TestNamespace;
import tagger.transport.PresenceBoard;
import tagger.transport.PresenceBoardContract;
import tagger.transport.StoreUnavailableException;

class RedisPresenceBoardIT extends PresenceBoardContract {
    private TestNamespace ns;
    private RedisPresenceBoard board;

    @BeforeEach
    void connect() {
        ns = TestNamespace.random();
        board = new RedisPresenceBoard(ns.redisUri(), ns.names());
    }

    @AfterEach
    void cleanUp() {
        board.close();
        ns.close();
    }

    @Override
    protected PresenceBoard board() {
        return board;
    }

    @Override
    protected void passTtl() throws InterruptedException {
        Thread.sleep(TTL.toMillis() + 200);
    }

    @Test
    void readersPruneExpiredIdsFromTheIndex() throws InterruptedException {
        board.announce("worker", "crashed", "{}", TTL);
        board.announce("worker", "alive", "{}", Duration.ofSeconds(30));
        passTtl();
        assertEquals(Set.of("crashed", "alive"), board.indexed("worker"), "nobody read yet");
        board.members("worker");
        assertEquals(Set.of("alive"), board.indexed("worker"));
    }

    @Test
    void anUnreachableRedisIsAnUnavailableStoreNamingWhere() {
        try (RedisPresenceBoard down = new RedisPresenceBoard(URI.create("redis://127.0.0.1:1"), ns.names())) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> down.announce("worker", "w", "{}", TTL));
            assertTrue(e.getMessage().startsWith("announcing worker w in Redis at redis://127.0.0.1:1 failed"),
                    e.getMessage());
        }
    }
}
