package tagger.transport.rabbit;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tells when a channel's "queue full" refusals do not come from a full queue, and so when to
 * replace the channel.
 *
 * <p>RabbitMQ tells each publishing channel when a length-limited quorum queue is full (the channel
 * then nacks every publish to it) and again when it is back below 80 % of its limit. Two cases break
 * that: a channel that registered with the queue while the queue's leader was being replaced was
 * seen (RabbitMQ 3.10, a node killed under load) never to hear the second message — every publish
 * nacked for minutes, the queue empty, a new channel accepted at once; and a queue without a leader
 * (its cluster lost the majority) nacks every publish whatever its depth.
 *
 * <p>The rule: a queue that refuses the channel and has room (below {@link #ROOM} of its limit) is
 * remembered with the time the room was first seen; when it still has room at a later look and a
 * refusal arrived more than {@link #GRACE_MS} after that time, the refusals are stale — the broker
 * would have resumed the queue before then. A look that finds the queue full forgets the time. One
 * look is not enough: a queue that just drained is resumed a moment after its depth drops, and a
 * nack already in flight is no reason to reconnect. A queue found stale again after its channel was
 * replaced, with no publish to it confirmed in between, most likely has no leader: each further
 * replacement waits twice as long ({@link #FIRST_WAIT_MS} up to {@link #MAX_WAIT_MS}). The cap is
 * short because a channel made while the queue had no leader may stay refused after the leader is
 * back: the wait is also how late the stack can resume after the cluster has its majority again.
 *
 * <p>Used by the publishing thread only.
 */
final class StaleRefusals {
    /** Below this share of x-max-length RabbitMQ resumes publishing into a quorum queue. */
    static final double ROOM = 0.8;
    static final long GRACE_MS = 200;
    static final long FIRST_WAIT_MS = 500;
    static final long MAX_WAIT_MS = 2_000;

    /** The depth of a queue: messages ready, as a passive declare reports them. */
    interface Depth {
        long ready(String queue) throws IOException;
    }

    /** A queue whose refusals are stale, and how many channels in a row it has refused so. */
    record Stale(String queue, int inARow) {
    }

    private final Map<String, Long> roomSeenAt = new HashMap<>();
    private final Map<String, Integer> inARow = new HashMap<>();
    private final Map<String, Long> notBefore = new HashMap<>();

    /**
     * Looks at the queues refusing the channel now.
     *
     * @param confirmed queues with a publish confirmed on the channel: their run of replacements ends
     * @return the first queue whose refusals are stale and whose wait is over, or null
     * @throws IOException when the depth cannot be asked (the channel is likely gone)
     */
    Stale check(Map<String, ConfirmWindow.Refusal> refusing, Set<String> confirmed, Depth depth, long nowNanos)
            throws IOException {
        inARow.keySet().removeAll(confirmed);
        notBefore.keySet().removeAll(confirmed);
        roomSeenAt.keySet().retainAll(refusing.keySet());
        for (Map.Entry<String, ConfirmWindow.Refusal> e : refusing.entrySet()) {
            String queue = e.getKey();
            ConfirmWindow.Refusal r = e.getValue();
            if (depth.ready(queue) >= ROOM * r.maxLength()) {
                roomSeenAt.remove(queue); // full, or filled up again: wait for the broker to resume it
                continue;
            }
            Long seen = roomSeenAt.putIfAbsent(queue, nowNanos);
            if (seen != null && r.nackedNanos() - seen > TimeUnit.MILLISECONDS.toNanos(GRACE_MS)
                    && nowNanos - notBefore.getOrDefault(queue, nowNanos) >= 0) {
                int n = inARow.merge(queue, 1, Integer::sum);
                long waitMs = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS << Math.min(n - 1, 16));
                notBefore.put(queue, nowNanos + TimeUnit.MILLISECONDS.toNanos(waitMs));
                roomSeenAt.remove(queue);
                return new Stale(queue, n);
            }
        }
        return null;
    }
}
