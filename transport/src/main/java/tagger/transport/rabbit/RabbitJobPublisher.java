package tagger.transport.rabbit;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.Backoff;
import tagger.common.ImageJob;
import tagger.transport.JobPublisher;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;

/**
 * Publishes image jobs to RabbitMQ as persistent, mandatory messages with asynchronous publisher
 * confirms; a job is accepted when its future completes.
 *
 * <p>Who owns the channel: one thread, {@code tagger-rabbit-publisher}. {@link #publish} only puts
 * the job on a bounded hand-off queue and returns; that thread connects, declares the topology,
 * publishes in order and reconnects. A single thread rather than a channel pool because a channel
 * must not be published on concurrently, one channel sustains ~18k persistent msgs/s here (far
 * above one api-server's share), and a socket write stalled by TCP back-pressure or a broker alarm
 * then stops only this thread, never a caller. A full hand-off fails fast with
 * {@link QueueFullException}: the broker is not absorbing what we send.
 *
 * <p>Timeouts do not depend on that thread: a second one, {@code tagger-rabbit-publisher-timer},
 * fails unconfirmed publishes past the confirm timeout, and jobs that waited that long in the
 * hand-off, so a caller gets an answer even while the publishing thread is stuck in a write.
 *
 * <p>Reconnecting is done here rather than by the client's automatic recovery: recovery swaps the
 * channel underneath and restarts its sequence numbers, which could let a new channel's confirm
 * complete an old channel's future. Here each channel has its own {@link ConfirmWindow}, which
 * fails at once when its channel closes, and the same loop covers the initial connection.
 *
 * <p>A channel that goes on being refused by a queue with room is replaced: while a queue refuses
 * the channel as full, the publishing thread asks the queue's depth every 250 ms (a passive declare), and
 * {@link StaleRefusals} decides when the refusals are stale (a quorum queue whose leader died can
 * leave a channel believing the queue full) and how soon to try again when a new channel is refused
 * too (a queue without a leader). From then until a publish to it is confirmed, its refusals are
 * answered as unavailable (503), not full (429).
 *
 * <p>Futures complete on the client's I/O thread (confirms), on the timer, or on the caller's
 * thread (immediate refusals): callers must not block in a dependent stage.
 */
public final class RabbitJobPublisher implements JobPublisher {
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    static final int HANDOFF_CAPACITY = 1024;
    /** Unconfirmed publishes per channel; RabbitMQ's benchmarks gain nothing beyond ~1000. */
    static final int MAX_IN_FLIGHT = 1000;
    private static final long TICK_MS = 50;
    /** How often a refusing queue's depth is asked. */
    private static final long REFUSAL_CHECK_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(RabbitJobPublisher.class);

    /** A job waiting for the publishing thread. */
    private record Outgoing(ImageJob job, CompletableFuture<Void> future, long acceptedNanos) {
    }

    private final ConnectionFactory factory;
    private final RabbitTopology topology;
    private final Lane lane;
    private final String where;
    private final long confirmTimeoutMs;
    private final BlockingQueue<Outgoing> handoff = new ArrayBlockingQueue<>(HANDOFF_CAPACITY);
    private final Thread thread;
    private final ScheduledExecutorService timer;
    private volatile PublishingChannel current;
    /** Queues refusing publishes although they have room, shared with each channel's {@link ConfirmWindow}. */
    private final Set<String> refusingWithRoom = ConcurrentHashMap.newKeySet();
    private volatile String lastFailure = "not connected yet";
    private volatile boolean closed;

    public RabbitJobPublisher(URI uri, RabbitTopology topology) {
        this(uri, topology, DEFAULT_CONFIRM_TIMEOUT);
    }

    /** Starts connecting in the background at once; a broker that is down only makes it not ready. */
    public RabbitJobPublisher(URI uri, RabbitTopology topology, Duration confirmTimeout) {
        this(uri, topology, Lane.IMAGES, confirmTimeout);
    }

    /**
     * A publisher of bulk items to the download stage's queue ({@code Names#bulkUrlQueue()}), whatever
     * their traffic class; same confirms and reconnects as the image publisher.
     */
    public static RabbitJobPublisher forBulkUrls(URI uri, RabbitTopology topology) {
        return new RabbitJobPublisher(uri, topology, Lane.BULK_URLS, DEFAULT_CONFIRM_TIMEOUT);
    }

    private RabbitJobPublisher(URI uri, RabbitTopology topology, Lane lane, Duration confirmTimeout) {
        this.factory = AmqpConnections.factory(uri, "tagger-rabbit-publisher");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.lane = lane;
        this.where = AmqpConnections.redacted(uri);
        this.confirmTimeoutMs = confirmTimeout.toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tagger-rabbit-publisher-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::expire, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        this.thread = new Thread(this::run, "tagger-rabbit-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public CompletableFuture<Void> publish(ImageJob job) {
        Objects.requireNonNull(job, "job");
        if (!isReady()) {
            return CompletableFuture.failedFuture(new QueueUnavailableException(notReadyReason()));
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        Outgoing out = new Outgoing(job, future, System.nanoTime());
        if (!handoff.offer(out)) {
            return CompletableFuture.failedFuture(new QueueFullException("publish hand-off is full: "
                    + HANDOFF_CAPACITY + " jobs are waiting for RabbitMQ at " + where));
        }
        if (closed && handoff.remove(out)) {
            // close() raced with us and may already have drained the hand-off
            future.completeExceptionally(new QueueUnavailableException(notReadyReason()));
        }
        return future;
    }

    @Override
    public boolean isReady() {
        PublishingChannel c = current;
        return !closed && c != null && c.isOpen() && c.blocked() == null;
    }

    /** Fails everything not confirmed yet and closes the connection; returns within a few seconds. */
    @Override
    public void close() {
        closed = true;
        abortCurrent("the publisher was closed");
        try {
            thread.join(AmqpConnections.CONNECT_TIMEOUT_MS * 3L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abortCurrent("the publisher was closed"); // in case the thread connected once more meanwhile
        timer.shutdownNow();
        Outgoing o;
        while ((o = handoff.poll()) != null) {
            o.future().completeExceptionally(new QueueUnavailableException("the publisher was closed before request "
                    + o.job().requestId() + " was sent"));
        }
    }

    /** Publishes sent on the current channel and not confirmed yet: a lost connection fails each of them. */
    int unconfirmed() {
        PublishingChannel c = current;
        return c == null ? 0 : c.window().size();
    }

    private String notReadyReason() {
        if (closed) {
            return "the publisher is closed";
        }
        PublishingChannel c = current;
        String blocked = c == null ? null : c.blocked();
        if (blocked != null) {
            return "RabbitMQ at " + where + " blocks publishing (" + blocked + ")";
        }
        return "not connected to RabbitMQ at " + where + ": " + lastFailure;
    }

    private void run() {
        Backoff backoff = new Backoff();
        StaleRefusals refusals = new StaleRefusals();
        long refusalCheckedAt = System.nanoTime();
        while (!closed) {
            PublishingChannel c = current;
            if (c == null || !c.isOpen()) {
                if (c != null) {
                    current = null;
                    c.abort();
                }
                c = connect();
                if (c == null) {
                    failHandoffFor(backoff.next());
                    continue;
                }
                backoff.reset();
                current = c;
            }
            try {
                Outgoing next = handoff.poll(TICK_MS, TimeUnit.MILLISECONDS);
                if (next != null && !next.future().isDone()) {
                    c.send(next.job(), next.future());
                }
                long now = System.nanoTime();
                if (now - refusalCheckedAt >= TimeUnit.MILLISECONDS.toNanos(REFUSAL_CHECK_MS)) {
                    refusalCheckedAt = now;
                    if (refusedWithRoom(c, refusals, now)) {
                        current = null;
                        c.abort(); // its unconfirmed publishes fail as unavailable: the callers retry
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** True when a queue goes on refusing this channel as full although it has room. */
    private boolean refusedWithRoom(PublishingChannel c, StaleRefusals refusals, long now) {
        Map<String, ConfirmWindow.Refusal> refusing = c.window().refusing();
        if (refusing.isEmpty()) {
            return false;
        }
        StaleRefusals.Stale stale;
        try {
            stale = refusals.check(refusing, c.window().confirmed(), c::readyMessages, now);
        } catch (IOException | RuntimeException e) {
            return false; // the channel closed: the loop reconnects anyway
        }
        if (stale == null) {
            return false;
        }
        refusingWithRoom.add(stale.queue());
        if (stale.inARow() == 1) {
            log.warn("RabbitMQ at {} goes on refusing publishes to {} as full although it is below {} % of its "
                    + "x-max-length {}: this channel's view of the queue is stale (seen after a quorum queue's leader "
                    + "died); reconnecting", where, stale.queue(), Math.round(StaleRefusals.ROOM * 100),
                    refusing.get(stale.queue()).maxLength());
        } else {
            log.warn("RabbitMQ at {} still refuses publishes to {} on a new channel although it has room: the queue "
                    + "has no leader (has the cluster lost its majority?); answering 503 and reconnecting, attempt {}",
                    where, stale.queue(), stale.inARow());
        }
        return true;
    }

    private PublishingChannel connect() {
        try {
            PublishingChannel c = PublishingChannel.open(factory, topology, lane, MAX_IN_FLIGHT, confirmTimeoutMs,
                    refusingWithRoom, where,
                    reason -> {
                        lastFailure = "connection lost: " + reason;
                        log.warn("lost the publishing channel to RabbitMQ at {}, failing its unconfirmed publishes: {}",
                                where, reason);
                    });
            log.info("publishing to RabbitMQ at {}", where);
            lastFailure = "not connected";
            return c;
        } catch (IOException | TimeoutException | RuntimeException e) {
            String failure = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof IllegalStateException) {
                log.error("cannot publish to RabbitMQ at {} (retrying in the background): {}", where, failure);
            } else if (!failure.equals(lastFailure)) {
                // only changes are logged: a broker that stays down would otherwise log every backoff
                log.warn("cannot publish to RabbitMQ at {} (retrying in the background): {}", where, failure);
            }
            lastFailure = failure;
            return null;
        }
    }

    /** On the timer: fails overdue confirms and jobs that waited a whole confirm timeout to be sent. */
    private void expire() {
        long now = System.nanoTime();
        PublishingChannel c = current;
        if (c != null) {
            c.window().expire(now);
        }
        long limit = TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMs);
        Outgoing head;
        while ((head = handoff.peek()) != null && now - head.acceptedNanos() >= limit) {
            if (handoff.remove(head)) {
                head.future().completeExceptionally(new QueueUnavailableException("request "
                        + head.job().requestId() + " waited " + confirmTimeoutMs + " ms to be sent: the connection to "
                        + "RabbitMQ at " + where + " is not draining"));
            }
        }
    }

    /** While disconnected: waits out the backoff, failing jobs handed off just before the loss. */
    private void failHandoffFor(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (!closed && end - System.nanoTime() > 0) {
                Outgoing o = handoff.poll(Math.min(TICK_MS, millis), TimeUnit.MILLISECONDS);
                if (o != null) {
                    o.future().completeExceptionally(new QueueUnavailableException(notReadyReason()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void abortCurrent(String why) {
        PublishingChannel c = current;
        if (c != null) {
            c.window().failAll(p -> new QueueUnavailableException(why + " before request " + p.job.requestId()
                    + " was confirmed"));
            c.abort();
        }
    }
}
