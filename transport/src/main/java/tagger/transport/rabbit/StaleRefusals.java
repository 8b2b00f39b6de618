package tagger.transport.rabbit;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tells when a channel's "queue full" refusals no longer come from a full queue.
 *
 * <p>RabbitMQ tells each publishing channel when a length-limited quorum queue is full (the channel
 * then nacks every publish to it) and again when it is back below 80 % of its limit. A channel that
 * registered with the queue while the queue's leader was being replaced was seen (RabbitMQ 3.10, a
 * node killed under load) never to hear the second message: every publish nacked for minutes, the
 * queue empty, a new channel accepted at once. Such a channel must be replaced.
 *
 * <p>The rule: a queue that refuses the channel and has room (below {@link #ROOM} of its limit) is
 * remembered with the time the room was first seen; when it still has room at a later look and a
 * refusal arrived more than {@link #GRACE_MS} after that time, the refusals are stale — the broker
 * had resumed the queue before then. A look that finds the queue full forgets the time. One look is not enough: a
 * queue that just drained is resumed a moment after its depth drops, and a nack already in flight
 * is no reason to reconnect.
 *
 * <p>Used by the publishing thread only.
 */
final class StaleRefusals {
    /** Below this share of x-max-length RabbitMQ resumes publishing into a quorum queue. */
    static final double ROOM = 0.8;
    static final long GRACE_MS = 200;

    /** The depth of a queue: messages ready, as a passive declare reports them. */
    interface Depth {
        long ready(String queue) throws IOException;
    }

    private final Map<String, Long> roomSeenAt = new HashMap<>();

    /**
     * Looks at the queues refusing the channel now.
     *
     * @return the first queue whose refusals are stale, or null
     * @throws IOException when the depth cannot be asked (the channel is likely gone)
     */
    String check(Map<String, ConfirmWindow.Refusal> refusing, Depth depth, long nowNanos) throws IOException {
        roomSeenAt.keySet().retainAll(refusing.keySet());
        for (Map.Entry<String, ConfirmWindow.Refusal> e : refusing.entrySet()) {
            String queue = e.getKey();
            ConfirmWindow.Refusal r = e.getValue();
            if (depth.ready(queue) >= ROOM * r.maxLength()) {
                roomSeenAt.remove(queue); // full, or filled up again: wait for the broker to resume it
                continue;
            }
            Long seen = roomSeenAt.putIfAbsent(queue, nowNanos);
            if (seen != null && r.nackedNanos() - seen > TimeUnit.MILLISECONDS.toNanos(GRACE_MS)) {
                return queue;
            }
        }
        return null;
    }
}
