package tagger.transport.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.Backoff;
import tagger.common.ImageJob;
import tagger.common.JobHeaders;
import tagger.common.JobMeta;
import tagger.common.TrafficClass;
import tagger.transport.JobDelivery;
import tagger.transport.JobSource;

/**
 * Consumes image jobs from the traffic classes' quorum queues with manual acks and a prefetch per
 * class, on its own connection (a publisher blocked by a broker alarm must not stall acks).
 *
 * <p>Threads: {@code tagger-rabbit-source} connects, declares, consumes and reconnects (the client's
 * automatic recovery is off, so there is no silent remapping of delivery tags: a delivery keeps its
 * channel, and settling one whose channel died is an explicit, logged no-op, see
 * {@link RabbitDelivery}). The handler runs on the client's consumer threads
 * ({@code tagger-rabbit-source-amqp-N}); settling may happen on any thread.
 *
 * <p>The prefetch applies per traffic class (one consumer per queue, quorum queues do not support
 * a channel-wide limit): a bulk backlog filling its window never takes real-time's.
 */
public final class RabbitJobSource implements JobSource {
    static final String DELIVERY_COUNT = "x-delivery-count";
    private static final String FALLBACK_CONTENT_TYPE = "application/octet-stream";
    private static final long CHECK_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(RabbitJobSource.class);

    /** One connection, its channel, the lock serializing settles on it, and its consumer tags. */
    private record Session(Connection connection, Channel channel, Object channelLock, List<String> consumerTags) {
    }

    private final ConnectionFactory factory;
    private final RabbitTopology topology;
    private final Lane lane;
    private final String where;
    private final Object signal = new Object();
    private final Object consuming = new Object();
    private Thread connector;
    private int prefetch;
    private Consumer<JobDelivery> handler;
    private TrafficClass[] classes;
    private volatile Session session;
    private volatile boolean stopped;
    private volatile boolean closed;

    public RabbitJobSource(URI uri, RabbitTopology topology) {
        this(uri, topology, Lane.IMAGES);
    }

    /** A source of bulk items from the download stage's queue ({@code Names#bulkUrlQueue()}); start it with BULK. */
    public static RabbitJobSource forBulkUrls(URI uri, RabbitTopology topology) {
        return new RabbitJobSource(uri, topology, Lane.BULK_URLS);
    }

    private RabbitJobSource(URI uri, RabbitTopology topology, Lane lane) {
        this.factory = AmqpConnections.factory(uri, "tagger-rabbit-source");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.lane = lane;
        this.where = AmqpConnections.redacted(uri);
    }

    /** Returns at once; connecting (and reconnecting) happens on the source's thread. */
    @Override
    public synchronized void start(int prefetch, Consumer<JobDelivery> handler, TrafficClass... classes) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
        }
        if (classes.length == 0) {
            throw new IllegalArgumentException("name at least one traffic class to consume");
        }
        if (connector != null || closed) {
            throw new IllegalStateException("a source starts once; this one is " + (closed ? "closed" : "started"));
        }
        this.prefetch = prefetch;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.classes = classes.clone();
        connector = new Thread(this::run, "tagger-rabbit-source");
        connector.setDaemon(true);
        connector.start();
    }

    @Override
    public void stop() {
        stopped = true;
        wake();
        synchronized (consuming) {
            Session s = session;
            if (s != null) {
                for (String tag : s.consumerTags()) {
                    try {
                        s.channel().basicCancel(tag);
                    } catch (IOException | RuntimeException e) {
                        log.debug("cancelling consumer {} failed (channel already gone): {}", tag, e.getMessage());
                    }
                }
            }
        }
    }

    @Override
    public boolean isReady() {
        Session s = session;
        return !stopped && s != null && s.channel().isOpen();
    }

    @Override
    public void close() {
        stop();
        closed = true;
        Thread t;
        synchronized (this) {
            t = connector;
        }
        if (t != null) {
            try {
                t.join(AmqpConnections.CONNECT_TIMEOUT_MS * 3L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Session s = session;
        session = null;
        if (s != null) {
            // unsettled deliveries go back to their queues when the connection closes
            s.connection().abort(AmqpConnections.CONNECT_TIMEOUT_MS);
        }
    }

    private void run() {
        Backoff backoff = new Backoff();
        while (!stopped) {
            Session s = session;
            if (s != null && s.channel().isOpen()) {
                pause(CHECK_MS);
                continue;
            }
            if (s != null) {
                session = null;
                s.connection().abort(AmqpConnections.CONNECT_TIMEOUT_MS);
            }
            s = connect();
            if (s == null) {
                pause(backoff.next());
                continue;
            }
            backoff.reset();
        }
    }

    private Session connect() {
        Connection connection = null;
        try {
            connection = factory.newConnection(lane == Lane.IMAGES ? "tagger-worker-source" : "tagger-bulk-url-source");
            Channel channel = connection.createChannel();
            topology.declare(channel);
            channel.basicQos(prefetch);
            Object lock = new Object();
            channel.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    log.warn("lost the consuming channel to RabbitMQ at {}; its unsettled jobs go back to the queue, "
                            + "reconnecting: {}", where, cause.getMessage());
                }
                wake();
            });
            // consumers start and the session is published under the lock stop() takes, so a stop()
            // arriving while we connect (a first delivery can already be in the handler) cancels them
            synchronized (consuming) {
                if (stopped) {
                    connection.abort(AmqpConnections.CONNECT_TIMEOUT_MS);
                    return null;
                }
                List<String> tags = new ArrayList<>();
                for (TrafficClass cls : classes) {
                    tags.add(channel.basicConsume(lane.queue(topology.names(), cls), false,
                            new JobConsumer(channel, lock, cls)));
                }
                Session s = new Session(connection, channel, lock, List.copyOf(tags));
                session = s;
                log.info("consuming {} from RabbitMQ at {} with prefetch {} per class", List.of(classes), where,
                        prefetch);
                return s;
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.warn("cannot consume from RabbitMQ at {} (retrying): {}", where,
                    e.getMessage() == null ? e.toString() : e.getMessage());
            if (connection != null) {
                connection.abort(AmqpConnections.CONNECT_TIMEOUT_MS);
            }
            return null;
        }
    }

    private void pause(long millis) {
        synchronized (signal) {
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Decodes each message into a delivery for the handler; what cannot be decoded is dead-lettered at once. */
    private final class JobConsumer extends DefaultConsumer {
        private final Object lock;
        private final TrafficClass cls;

        JobConsumer(Channel channel, Object lock, TrafficClass cls) {
            super(channel);
            this.lock = lock;
            this.cls = cls;
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            JobMeta meta;
            try {
                meta = JobHeaders.decode(props.getHeaders());
            } catch (RuntimeException e) {
                // redelivering it would fail the same way every time: dead-letter it now
                log.error("dead-lettering message {} (message id {}) from {} at once: its headers do not decode: {}",
                        envelope.getDeliveryTag(), props.getMessageId(), lane.queue(topology.names(), cls), e.getMessage());
                new RabbitDelivery(getChannel(), lock, envelope.getDeliveryTag(),
                        new ImageJob(placeholder(props), FALLBACK_CONTENT_TYPE, body), 0).deadLetter();
                return;
            }
            String type = props.getContentType() == null ? FALLBACK_CONTENT_TYPE : props.getContentType();
            RabbitDelivery delivery = new RabbitDelivery(getChannel(), lock, envelope.getDeliveryTag(),
                    new ImageJob(meta, type, body), previousDeliveries(props.getHeaders()));
            try {
                handler.accept(delivery);
            } catch (RuntimeException e) {
                log.error("job handler failed on request {}; requeueing it", meta.requestId(), e);
                if (!delivery.isSettled()) {
                    delivery.requeue();
                }
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            // the broker cancelled us (queue deleted): reconnecting redeclares the topology
            log.warn("RabbitMQ cancelled the consumer of {}; reconnecting", lane.queue(topology.names(), cls));
            try {
                getChannel().abort();
            } catch (IOException e) {
                log.debug("aborting the channel failed; it is closing anyway: {}", e.getMessage());
            }
        }

        private JobMeta placeholder(AMQP.BasicProperties props) {
            String id = props.getMessageId() == null ? "unknown" : props.getMessageId();
            return new JobMeta(id, null, cls, 0, 0, 0, 0, null, null, null, null, null, null, null);
        }
    }

    /** How often the quorum queue has handed this message out before (absent on the first delivery). */
    static int previousDeliveries(Map<String, Object> headers) {
        Object count = headers == null ? null : headers.get(DELIVERY_COUNT);
        return count instanceof Number n ? n.intValue() : 0;
    }
}
