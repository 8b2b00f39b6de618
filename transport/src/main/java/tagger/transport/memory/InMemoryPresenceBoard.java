package tagger.transport.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tagger.transport.PresenceBoard;

/** A presence board in this process, for the embedded mode and tests; entries expire like Redis keys. */
public final class InMemoryPresenceBoard implements PresenceBoard {
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(String kind, String json, long expiresAt) {
    }

    public InMemoryPresenceBoard(Clock clock) {
        this.clock = clock;
    }

    public InMemoryPresenceBoard() {
        this(Clock.systemUTC());
    }

    @Override
    public void announce(String kind, String id, String json, Duration ttl) {
        entries.put(kind + "/" + id, new Entry(kind, json, clock.millis() + ttl.toMillis()));
    }

    @Override
    public void withdraw(String kind, String id) {
        entries.remove(kind + "/" + id);
    }

    @Override
    public List<String> members(String kind) {
        long now = clock.millis();
        entries.values().removeIf(e -> e.expiresAt <= now);
        List<String> live = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.kind.equals(kind)) {
                live.add(e.json);
            }
        }
        return live;
    }

    @Override
    public void close() {
        entries.clear();
    }
}
