package tagger.transport.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tagger.common.Names;
import tagger.common.TrafficClass;

/**
 * The exchanges and queues both sides declare, identically: a direct exchange routing by traffic
 * class to one quorum queue per class, each with a delivery limit and dead-lettering to one
 * dead-letter exchange and queue, optionally length-limited with {@code reject-publish}; and the
 * bulk URL queue ({@link Names#bulkUrlQueue()}) with the same rules, which the api-servers' download
 * stage consumes.
 *
 * <p>RabbitMQ refuses to redeclare a queue with other arguments; {@link #declare} turns that into
 * an error saying which queue and what to do, instead of a bare channel error.
 */
public final class RabbitTopology {
    public static final int DEFAULT_DELIVERY_LIMIT = 5;

    private final Names names;
    private final int deliveryLimit;
    private final Map<TrafficClass, Integer> maxLength;

    /**
     * @param deliveryLimit how many times a job may come back to the queue (requeued, or its worker
     *                      died) before it is dead-lettered: it is delivered at most
     *                      {@code deliveryLimit + 1} times
     * @param maxLength     per traffic class, the queue length past which publishes are refused;
     *                      classes not in the map are unbounded
     */
    public RabbitTopology(Names names, int deliveryLimit, Map<TrafficClass, Integer> maxLength) {
        if (deliveryLimit < 0) {
            throw new IllegalArgumentException("delivery limit must be >= 0, got " + deliveryLimit);
        }
        maxLength.forEach((cls, max) -> {
            if (max < 1) {
                throw new IllegalArgumentException("max length of " + cls.key() + " must be >= 1, got " + max);
            }
        });
        this.names = names;
        this.deliveryLimit = deliveryLimit;
        this.maxLength = maxLength.isEmpty() ? Map.of() : new EnumMap<>(maxLength);
    }

    /**
     * What the services declare when nothing is configured: delivery limit 5, the real-time queue
     * bounded at {@link tagger.common.Settings#DEFAULT_REALTIME_MAX_LENGTH}, bulk unbounded. Code that
     * declares with other arguments than the services fails with PRECONDITION_FAILED, so tools that
     * talk to a default deployment use this.
     */
    public static RabbitTopology defaults(Names names) {
        return new RabbitTopology(names, DEFAULT_DELIVERY_LIMIT,
                Map.of(TrafficClass.REALTIME, tagger.common.Settings.DEFAULT_REALTIME_MAX_LENGTH));
    }

    public Names names() {
        return names;
    }

    public int deliveryLimit() {
        return deliveryLimit;
    }

    public Optional<Integer> maxLength(TrafficClass cls) {
        return Optional.ofNullable(maxLength.get(cls));
    }

    /**
     * Declares everything (idempotent when it already exists with the same settings).
     *
     * @throws IllegalStateException when an exchange or queue exists with other settings; the
     *                               channel is closed by the broker then
     */
    public void declare(Channel ch) throws IOException {
        String dead = names.deadLetter();
        guarded("exchange " + names.exchange(),
                () -> ch.exchangeDeclare(names.exchange(), BuiltinExchangeType.DIRECT, true));
        guarded("exchange " + dead, () -> ch.exchangeDeclare(dead, BuiltinExchangeType.FANOUT, true));
        guarded("queue " + dead, () -> ch.queueDeclare(dead, true, false, false, Map.of("x-queue-type", "quorum")));
        ch.queueBind(dead, dead, "");
        for (TrafficClass cls : TrafficClass.values()) {
            String queue = names.queue(cls);
            Map<String, Object> args = queueArguments(cls);
            guarded("queue " + queue + " " + args, () -> ch.queueDeclare(queue, true, false, false, args));
            ch.queueBind(queue, names.exchange(), cls.key());
        }
        // bulk items waiting for the download stage: same rules, reached through the default exchange
        String urls = names.bulkUrlQueue();
        Map<String, Object> urlArgs = urlQueueArguments();
        guarded("queue " + urls + " " + urlArgs, () -> ch.queueDeclare(urls, true, false, false, urlArgs));
    }

    /**
     * Deletes every queue and exchange of the namespace, messages included (short-lived stacks such
     * as the demo clean up after themselves). Missing ones are skipped.
     */
    public static void delete(java.net.URI amqpUri, Names names) throws IOException {
        com.rabbitmq.client.ConnectionFactory cf = AmqpConnections.factory(amqpUri, "tagger-topology-delete");
        try (com.rabbitmq.client.Connection c = cf.newConnection("tagger-topology-delete")) {
            java.util.List<String> queues = new java.util.ArrayList<>();
            for (TrafficClass cls : TrafficClass.values()) {
                queues.add(names.queue(cls));
            }
            queues.add(names.bulkUrlQueue());
            queues.add(names.deadLetter());
            for (String q : queues) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IOException(e);
                }
            }
            for (String x : java.util.List.of(names.exchange(), names.deadLetter())) {
                try (Channel ch = c.createChannel()) {
                    ch.exchangeDelete(x);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IOException(e);
                }
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** The arguments of one traffic class's queue, as declared. */
    Map<String, Object> queueArguments(TrafficClass cls) {
        Map<String, Object> args = new TreeMap<>(); // sorted: it appears in error messages
        args.put("x-queue-type", "quorum");
        args.put("x-delivery-limit", deliveryLimit);
        args.put("x-dead-letter-exchange", names.deadLetter());
        // at-least-once dead-lettering (quorum queues, RabbitMQ >= 3.10) keeps a poison job in its
        // queue until the dead-letter queue confirmed it; it requires reject-publish overflow, which
        // is also what turns a full queue into a publisher nack instead of silently dropping the head.
        args.put("x-dead-letter-strategy", "at-least-once");
        args.put("x-overflow", "reject-publish");
        maxLength(cls).ifPresent(max -> args.put("x-max-length", max));
        return args;
    }

    /** The arguments of the bulk URL queue: a class queue's, without a length limit. */
    Map<String, Object> urlQueueArguments() {
        Map<String, Object> args = queueArguments(TrafficClass.BULK);
        args.remove("x-max-length");
        return args;
    }

    private interface Declaration {
        void run() throws IOException;
    }

    private static void guarded(String what, Declaration declaration) throws IOException {
        try {
            declaration.run();
        } catch (IOException e) {
            String reason = brokerReason(e);
            if (reason != null && reason.contains("PRECONDITION_FAILED")) {
                throw new IllegalStateException(what + " already exists on the broker with other settings ("
                        + reason + "); delete it or configure the same settings on every service", e);
            }
            throw e;
        }
    }

    private static String brokerReason(IOException e) {
        if (e.getCause() instanceof ShutdownSignalException s) {
            return s.getReason() instanceof AMQP.Channel.Close close ? close.getReplyText() : s.getMessage();
        }
        return null;
    }
}
