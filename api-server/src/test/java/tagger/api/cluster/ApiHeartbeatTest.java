package tagger.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.api.fakes.MutableClock;
import tagger.common.ApiPresence;
import tagger.common.Json;
import tagger.transport.memory.InMemoryPresenceBoard;

class ApiHeartbeatTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter ok = Counter.builder("tagger.api.images").tag("outcome", "ok").register(registry);
    private final Counter shed = Counter.builder("tagger.api.images").tag("outcome", "overloaded").register(registry);
    private final InMemoryPresenceBoard board = new InMemoryPresenceBoard(clock);
    private final ApiHeartbeat heartbeat = new ApiHeartbeat(board, "api-1", () -> 5, () -> 3, registry, clock);

    @Test
    void outcomesAreCountedOverTheWindowAndOldOnesFallOut() {
        heartbeat.presence();
        ok.increment(10);
        shed.increment(2);
        clock.advance(java.time.Duration.ofMillis(2_000));
        ApiPresence p = heartbeat.presence();
        assertEquals(Map.of("ok", 10L, "overloaded", 2L), p.outcomes());
        assertEquals(2.0, p.windowSeconds());
        assertEquals(5, p.inFlight());
        assertEquals(3, p.waiting());
        for (int i = 0; i < ApiHeartbeat.WINDOW_INTERVALS; i++) {
            clock.advance(java.time.Duration.ofMillis(2_000));
            p = heartbeat.presence();
        }
        assertTrue(p.outcomes().isEmpty(), "nothing happened during the last window: " + p.outcomes());
        assertEquals(20.0, p.windowSeconds());
    }

    @Test
    void aBeatAnnouncesAndClosingWithdraws() {
        heartbeat.beat();
        ApiPresence p = Json.read(board.members(ApiPresence.KIND).get(0), ApiPresence.class);
        assertEquals("api-1", p.id());
        assertEquals(clock.millis(), p.heartbeatAt());
        heartbeat.close();
        assertTrue(board.members(ApiPresence.KIND).isEmpty());
    }
}
