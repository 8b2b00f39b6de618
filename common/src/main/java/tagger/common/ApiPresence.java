package tagger.common;

import java.util.Map;

/**
 * What an api-server announces about itself every few seconds, stored in Redis with a short TTL.
 *
 * @param startedAt     epoch ms when the server started
 * @param heartbeatAt   epoch ms of this announcement
 * @param inFlight      images being handled right now (the {@code TAGGER_MAX_INFLIGHT} budget in use)
 * @param waiting       images queued and waiting for their result
 * @param windowSeconds length of the window {@code outcomes} covers
 * @param outcomes      real-time images answered during the window, by outcome ("ok" or an error code)
 * @param cache         result cache lookups during the window (real-time and bulk), by outcome
 *                      ("hit", "miss", "error"); null from servers that predate the cache
 */
public record ApiPresence(
        String id,
        long startedAt,
        long heartbeatAt,
        int inFlight,
        int waiting,
        double windowSeconds,
        Map<String, Long> outcomes,
        Map<String, Long> cache) {

    public static final String KIND = "api";

    /** An announcement without cache counts. */
    public ApiPresence(String id, long startedAt, long heartbeatAt, int inFlight, int waiting, double windowSeconds,
            Map<String, Long> outcomes) {
        this(id, startedAt, heartbeatAt, inFlight, waiting, windowSeconds, outcomes, null);
    }
}
