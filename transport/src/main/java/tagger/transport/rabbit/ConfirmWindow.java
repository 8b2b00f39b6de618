package tagger.transport.rabbit;

import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ReturnCallback;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tagger.common.ImageJob;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;

/**
 * The publishes of one channel that the broker has neither confirmed nor refused yet, keyed by the
 * channel's publish sequence number; completes each caller's future exactly once.
 *
 * <p>One window per channel: sequence numbers restart on every new channel, so a window never
 * outlives the channel it was made for. Acks, nacks and returns arrive on the client's I/O thread,
 * {@link #add} and {@link #expire} run on the publishing thread; the map and the futures are safe
 * for that, and whoever removes an entry from the map is the one who completes it.
 */
final class ConfirmWindow implements ConfirmListener, ReturnCallback {

    /** A length-limited queue refusing this channel: its x-max-length and when the latest nack came. */
    record Refusal(int maxLength, long nackedNanos) {
    }

    /** One unconfirmed publish. {@code returned} is set when the broker sent it back unroutable. */
    static final class Pending {
        final ImageJob job;
        final CompletableFuture<Void> future;
        final long deadlineNanos;
        volatile String returned;

        Pending(ImageJob job, CompletableFuture<Void> future, long deadlineNanos) {
            this.job = job;
            this.future = future;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    /** Length-limited queues whose last settled publish on this channel was refused. */
    private final Map<String, Refusal> refusing = new ConcurrentHashMap<>();
    /** Queues with a publish confirmed on this channel. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    /**
     * Queues found refusing publishes while they have room (the publisher's, shared by its channels):
     * a nack from one of those is "unavailable", not "full".
     */
    private final Set<String> refusingWithRoom;
    private final Semaphore slots;
    private final RabbitTopology topology;
    private final Lane lane;
    private final long timeoutMs;

    ConfirmWindow(RabbitTopology topology, int maxInFlight, long timeoutMs) {
        this(topology, Lane.IMAGES, maxInFlight, timeoutMs, ConcurrentHashMap.newKeySet());
    }

    ConfirmWindow(RabbitTopology topology, Lane lane, int maxInFlight, long timeoutMs, Set<String> refusingWithRoom) {
        this.topology = topology;
        this.refusingWithRoom = refusingWithRoom;
        this.lane = lane;
        this.slots = new Semaphore(maxInFlight);
        this.timeoutMs = timeoutMs;
    }

    /** Waits up to {@code waitMs} for room in the window; false when it stayed full. */
    boolean reserve(long waitMs) throws InterruptedException {
        return slots.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
    }

    /** Tracks a publish about to be sent with sequence number {@code seq}; call after {@link #reserve}. */
    void add(long seq, ImageJob job, CompletableFuture<Void> future, long nowNanos) {
        pending.put(seq, new Pending(job, future, nowNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs)));
    }

    /** The publish with this number never reached the broker. */
    void cancel(long seq, RuntimeException why) {
        Pending p = take(seq);
        if (p != null) {
            p.future.completeExceptionally(why);
        }
    }

    int size() {
        return pending.size();
    }

    /**
     * The length-limited queues whose latest settled publish on this channel the broker refused, by
     * queue name. A queue leaves the map with the next publish to it that is confirmed.
     */
    Map<String, Refusal> refusing() {
        return Map.copyOf(refusing);
    }

    /** The queues with a publish confirmed on this channel so far. */
    Set<String> confirmed() {
        return Set.copyOf(confirmed);
    }

    @Override
    public void handleAck(long seq, boolean multiple) {
        settle(seq, multiple, p -> {
            String queue = queueOf(p);
            refusing.remove(queue);
            confirmed.add(queue);
            refusingWithRoom.remove(queue);
            return returned(p);
        });
    }

    private RuntimeException returned(Pending p) {
        return p.returned == null ? null : new QueueUnavailableException("request "
                + p.job.requestId() + " was returned unroutable (" + p.returned + "): no queue is bound to exchange "
                + (lane == Lane.IMAGES ? topology.names().exchange() : "(default)") + " for routing key "
                + lane.routingKey(topology.names(), p.job.meta().trafficClass()));
    }

    private String queueOf(Pending p) {
        return lane.queue(topology.names(), p.job.meta().trafficClass());
    }

    @Override
    public void handleNack(long seq, boolean multiple) {
        settle(seq, multiple, this::refusal);
    }

    /** Arrives before the ack of the same message; matched by message id, which is the request id. */
    @Override
    public void handle(Return r) {
        String messageId = r.getProperties().getMessageId();
        for (Pending p : pending.values()) {
            if (p.returned == null && p.job.requestId().equals(messageId)) {
                p.returned = r.getReplyCode() + " " + r.getReplyText();
                return;
            }
        }
    }

    /** Fails every publish whose confirm is overdue; returns how many. */
    int expire(long nowNanos) {
        int expired = 0;
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            // sequence numbers grow with time, so the first publish still in time ends the scan
            if (e.getValue().deadlineNanos - nowNanos > 0) {
                break;
            }
            Pending p = take(e.getKey());
            if (p != null) {
                expired++;
                p.future.completeExceptionally(new QueueUnavailableException("no publisher confirm for request "
                        + p.job.requestId() + " within " + timeoutMs + " ms"));
            }
        }
        return expired;
    }

    /** Fails everything still waiting, e.g. because the channel closed. */
    void failAll(Function<Pending, RuntimeException> why) {
        for (Long seq : pending.keySet()) {
            Pending p = take(seq);
            if (p != null) {
                p.future.completeExceptionally(why.apply(p));
            }
        }
    }

    /**
     * A nack carries no reason. With reject-publish overflow a length limit is the routine cause, so
     * a nack on a length-limited queue is reported as full (429) and any other as unavailable (503).
     * A bounded queue the publisher has found refusing with room (no leader, or a stale channel; see
     * {@link StaleRefusals}) is reported unavailable too. Until that is found — the first half second
     * or so — such refusals still read as full, which also tells the caller to retry later.
     */
    private RuntimeException refusal(Pending p) {
        String queue = queueOf(p);
        if (refusingWithRoom.contains(queue)) {
            refusing.put(queue, new Refusal(lane.maxLength(topology, p.job.meta().trafficClass()).orElse(0),
                    System.nanoTime()));
            return new QueueUnavailableException("the broker refused request " + p.job.requestId() + " for queue "
                    + queue + ", which has room: the queue has no leader right now (a RabbitMQ node was lost)");
        }
        return lane.maxLength(topology, p.job.meta().trafficClass())
                .<RuntimeException>map(max -> {
                    refusing.put(queue, new Refusal(max, System.nanoTime()));
                    return new QueueFullException("queue " + queue + " is full (x-max-length "
                            + max + "): the broker refused request " + p.job.requestId());
                })
                .orElseGet(() -> new QueueUnavailableException("the broker refused request " + p.job.requestId()
                        + " for queue " + queue + " (nack without a length limit: an internal queue error)"));
    }

    private void settle(long seq, boolean multiple, Function<Pending, RuntimeException> outcome) {
        if (!multiple) {
            complete(take(seq), outcome);
            return;
        }
        ConcurrentNavigableMap<Long, Pending> upTo = pending.headMap(seq, true);
        for (Long s : upTo.keySet()) {
            complete(take(s), outcome);
        }
    }

    private static void complete(Pending p, Function<Pending, RuntimeException> outcome) {
        if (p == null) {
            return; // already expired or failed
        }
        RuntimeException failure = outcome.apply(p);
        if (failure == null) {
            p.future.complete(null);
        } else {
            p.future.completeExceptionally(failure);
        }
    }

    private Pending take(long seq) {
        Pending p = pending.remove(seq);
        if (p != null) {
            slots.release();
        }
        return p;
    }
}
