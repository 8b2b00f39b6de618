package tagger.transport;

import java.time.Duration;
import java.util.List;

/**
 * Where running services announce themselves for operators: each announcement lives for a short
 * TTL, so a process that stops announcing (crashed, partitioned) drops off without anyone removing it.
 */
public interface PresenceBoard extends AutoCloseable {

    /**
     * Announces or refreshes one instance of {@code kind} ("worker", "api").
     *
     * @throws StoreUnavailableException when the board cannot be reached
     */
    void announce(String kind, String id, String json, Duration ttl);

    /** Removes an instance at once (a graceful stop), instead of waiting for its TTL. */
    void withdraw(String kind, String id);

    /**
     * The live announcements of every instance of {@code kind}, in no particular order.
     *
     * @throws StoreUnavailableException when the board cannot be reached
     */
    List<String> members(String kind);

    @Override
    void close();
}
