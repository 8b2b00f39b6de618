package tagger.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** What every presence board must do; run against Redis and against the in-memory board. */
public abstract class PresenceBoardContract {
    protected static final Duration TTL = Duration.ofMillis(600);

    protected abstract PresenceBoard board();

    /** Lets more than {@link #TTL} pass on the board's clock. */
    protected abstract void passTtl() throws InterruptedException;

    @Test
    void anAnnouncedInstanceIsListedUnderItsKindOnly() {
        board().announce("worker", "w1", "{\"id\":\"w1\"}", Duration.ofSeconds(30));
        board().announce("worker", "w2", "{\"id\":\"w2\"}", Duration.ofSeconds(30));
        board().announce("api", "a1", "{\"id\":\"a1\"}", Duration.ofSeconds(30));
        assertEquals(Set.of("{\"id\":\"w1\"}", "{\"id\":\"w2\"}"), new HashSet<>(board().members("worker")));
        assertEquals(List.of("{\"id\":\"a1\"}"), board().members("api"));
    }

    @Test
    void aNewAnnouncementReplacesTheOldOne() {
        board().announce("worker", "w1", "{\"n\":1}", Duration.ofSeconds(30));
        board().announce("worker", "w1", "{\"n\":2}", Duration.ofSeconds(30));
        assertEquals(List.of("{\"n\":2}"), board().members("worker"));
    }

    @Test
    void anInstanceThatStopsAnnouncingDisappearsAfterItsTtl() throws InterruptedException {
        board().announce("worker", "gone", "{}", TTL);
        board().announce("worker", "alive", "{\"alive\":true}", Duration.ofSeconds(30));
        assertEquals(2, board().members("worker").size());
        passTtl();
        assertEquals(List.of("{\"alive\":true}"), board().members("worker"));
    }

    @Test
    void aWithdrawnInstanceDisappearsAtOnce() {
        board().announce("api", "a1", "{}", Duration.ofSeconds(30));
        board().withdraw("api", "a1");
        assertTrue(board().members("api").isEmpty());
    }
}
