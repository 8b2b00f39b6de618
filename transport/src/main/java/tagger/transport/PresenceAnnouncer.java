package tagger.transport;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one instance's entry on a {@link PresenceBoard}: announces, and while the board was
 * unreachable announces the last announcement again on every {@link #retry()}, so a board that comes
 * back (possibly empty, after a Redis restart) lists the instance at once instead of at its next beat.
 * A board that is down is logged once when it goes and once when it returns, never thrown.
 *
 * <p>Called from one thread, the owner's heartbeat timer.
 */
public final class PresenceAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(PresenceAnnouncer.class);

    private final PresenceBoard board;
    private final String kind;
    private final String id;
    private final Duration ttl;
    private volatile String last;
    private volatile boolean failing;

    public PresenceAnnouncer(PresenceBoard board, String kind, String id, Duration ttl) {
        this.board = board;
        this.kind = kind;
        this.id = id;
        this.ttl = ttl;
    }

    /** Announces {@code json} and remembers it for {@link #retry()}. */
    public void announce(String json) {
        last = json;
        send(json);
    }

    /** Between beats: announces the last announcement again, only while the board was unreachable. */
    public void retry() {
        String json = last;
        if (failing && json != null) {
            send(json);
        }
    }

    private void send(String json) {
        try {
            board.announce(kind, id, json, ttl);
            if (failing) {
                log.info("presence board reachable again; {} {} announced", kind, id);
                failing = false;
            }
        } catch (RuntimeException e) { // StoreUnavailableException
            if (!failing) {
                log.warn("cannot announce {} {} (operators won't see it until this recovers): {}", kind, id,
                        e.getMessage());
                failing = true;
            }
        }
    }
}
