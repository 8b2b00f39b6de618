package tagger.transport.redis;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;
import tagger.common.Backoff;
import tagger.common.Json;
import tagger.common.TagResult;
import tagger.transport.ResultFeed.Listener;

/**
 * One api-server instance's subscription to its done channel, kept alive across connection loss.
 *
 * <p>Jedis neither resubscribes after a dropped connection nor notices a silently dead one (it
 * reads a subscribed socket with no timeout). So a named thread runs subscribe in a reconnect loop
 * with bounded backoff, and the shared pinger thread sends PING every interval and cuts the
 * connection when nothing (no pong, no message) came back for three intervals, and at least a
 * second — which makes the loop reconnect. Shorter silences are scheduling stalls of a busy machine,
 * not a dead connection. Every successful (re)subscribe calls {@link Listener#onSubscribed()}, because
 * notifications sent in between are lost for good.
 *
 * <p>The connection speaks RESP2 and the pinger writes PING on it directly, not through
 * {@code JedisPubSub.ping()}: in RESP3 (Jedis 8's default) a subscribed PING is answered with a
 * plain PONG that JedisPubSub matches against a handler it queues only after sending, so a pinger
 * preempted in between (common on a loaded machine) made the subscriber fail with "Unexpected
 * message : PONG" and drop the subscription. In RESP2 the answer is a {@code ["pong", ""]} push
 * that JedisPubSub handles itself; {@code ping()} would still queue a handler per call that RESP2
 * never consumes.
 *
 * <p>Behind Sentinel the pinger also cuts the connection when the master moved, so that the loop
 * subscribes on the new one.
 */
final class ResultSubscription implements AutoCloseable {
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 500; // a Redis that is back is resubscribed within a second
    private static final int MISSED_PINGS = 3;
    private static final long MIN_SILENCE_MS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(ResultSubscription.class);

    private final Supplier<HostAndPort> address;
    private final JedisClientConfig config;
    private final String channel;
    private final Listener listener;
    private final ScheduledExecutorService pinger;
    private final long pingIntervalMs;
    private final String where;
    private final Thread thread;
    /** Guards writes on the subscribed connection, which come from the pinger and from close(). */
    private final Object writeLock = new Object();
    private final Object wakeup = new Object();
    private ScheduledFuture<?> pings;
    private volatile PingableConnection connection;
    private volatile HostAndPort connectedTo;
    private volatile Subscriber subscriber;
    private volatile boolean closed;

    /** @param address asked on every (re)connect: behind Sentinel, the master moves */
    ResultSubscription(Supplier<HostAndPort> address, JedisClientConfig config, String channel, Listener listener,
                       ScheduledExecutorService pinger, long pingIntervalMs, String where) {
        this.address = address;
        this.config = config;
        this.channel = channel;
        this.listener = listener;
        this.pinger = pinger;
        this.pingIntervalMs = pingIntervalMs;
        this.where = where;
        this.thread = new Thread(this::run, "tagger-redis-subscriber-" + channel);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
        pings = pinger.scheduleAtFixedRate(this::tick, pingIntervalMs, pingIntervalMs, TimeUnit.MILLISECONDS);
    }

    /** Stops the thread promptly by cutting its connection; waits for it at most two seconds. */
    @Override
    public void close() {
        closed = true;
        if (pings != null) {
            pings.cancel(false);
        }
        cut();
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        // never subscribed on the last connection: 2 × MIN doubling to MAX; after a subscription: MIN again
        Backoff backoff = new Backoff(2 * MIN_BACKOFF_MS, MAX_BACKOFF_MS, Backoff.NO_JITTER);
        while (!closed) {
            String lost = null;
            Subscriber s = new Subscriber();
            HostAndPort target = address.get();
            try (PingableConnection c = new PingableConnection(target, config)) {
                connectedTo = target;
                connection = c;
                subscriber = s;
                if (!closed) {
                    s.proceed(c, channel); // blocks until the connection fails or is cut
                }
            } catch (JedisException e) {
                lost = e.getMessage();
            } finally {
                subscriber = null;
                connection = null;
            }
            if (s.everSubscribed) {
                backoff.reset();
            }
            long pauseMs = s.everSubscribed ? MIN_BACKOFF_MS : backoff.next();
            if (lost != null && !closed) {
                log.warn("subscription to {} on Redis at {} lost, resubscribing in {} ms: {}", channel, where,
                        pauseMs, lost);
            }
            pause(pauseMs);
        }
    }

    /** On the pinger thread: declares the subscription dead after three silent intervals (at least 1 s), else pings. */
    private void tick() {
        Subscriber s = subscriber;
        if (s == null || !s.isSubscribed()) {
            return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.lastHeardNanos);
        if (silentMs > Math.max(MISSED_PINGS * pingIntervalMs, MIN_SILENCE_MS)) {
            log.warn("no answer from Redis at {} on subscription {} for {} ms: treating it as dead, reconnecting",
                    where, channel, silentMs);
            cut();
            return;
        }
        if (!address.get().equals(connectedTo)) {
            // behind Sentinel the master moved; a demoted master still holds the subscription, but what is
            // published on the new one reaches it only while its replication link is up
            log.info("Redis master for {} moved from {} to {}: resubscribing there", channel, connectedTo,
                    address.get());
            cut();
            return;
        }
        PingableConnection c = connection;
        if (c == null) {
            return;
        }
        synchronized (writeLock) {
            try {
                c.sendPing();
            } catch (JedisException e) {
                // the subscribe thread sees the same failure and reconnects
            }
        }
    }

    private void cut() {
        PingableConnection c = connection;
        if (c != null) {
            synchronized (writeLock) {
                try {
                    c.disconnect();
                } catch (JedisException e) {
                    // already broken: exactly what we wanted
                }
            }
        }
    }

    private void pause(long millis) {
        synchronized (wakeup) {
            try {
                if (!closed) {
                    wakeup.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** A connection that can send PING while subscribed; its answer reaches {@link Subscriber#onPong}. */
    private static final class PingableConnection extends Connection {
        PingableConnection(HostAndPort address, JedisClientConfig config) {
            super(address, config);
        }

        /** Sends PING without reading the answer (Connection.ping() would read it, racing the subscriber). */
        void sendPing() {
            sendCommand(Protocol.Command.PING);
            flush();
        }
    }

    /** The Jedis callbacks of one connection's subscription. */
    private final class Subscriber extends JedisPubSub {
        volatile long lastHeardNanos = System.nanoTime();
        volatile boolean everSubscribed;

        @Override
        public void onSubscribe(String ch, int subscribedChannels) {
            lastHeardNanos = System.nanoTime();
            everSubscribed = true;
            try {
                listener.onSubscribed();
            } catch (RuntimeException e) {
                log.error("result listener failed in onSubscribed for {}", ch, e);
            }
        }

        @Override
        public void onMessage(String ch, String message) {
            lastHeardNanos = System.nanoTime();
            TagResult result;
            try {
                result = Json.read(message, TagResult.class);
            } catch (RuntimeException e) {
                log.warn("ignoring a notification on {} that is not result JSON: {}", ch, e.getMessage());
                return;
            }
            try {
                listener.onResult(result);
            } catch (RuntimeException e) {
                log.error("result listener failed on request {}", result.requestId(), e);
            }
        }

        @Override
        public void onPong(String pattern) {
            lastHeardNanos = System.nanoTime();
        }
    }
}
