package tagger.api.cluster;

import java.util.Map;
import tagger.transport.PresenceBoard;
import tagger.transport.QueueStats;
import tagger.transport.memory.InMemoryPresenceBoard;

/**
 * Where the api-server reads the state of the whole deployment from, and announces itself to.
 * The server owns and closes the board and the queue stats.
 */
public record Cluster(PresenceBoard board, QueueStats queues, MigrationProgress migrations) {

    /** Only this server: a board of its own and no queue to inspect (tests that need no operator view). */
    public static Cluster standalone() {
        return new Cluster(new InMemoryPresenceBoard(), Map::of, MigrationProgress.none());
    }
}
