package tagger.launcher;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import tagger.common.Names;
import tagger.common.ServiceUri;
import tagger.common.TrafficClass;
import tagger.transport.rabbit.RabbitTopology;

/**
 * Declares the queues before {@code ./tagger up} starts any service, so that a traffic-class queue
 * an older version declared with other arguments (e.g. without {@code x-max-length}) is dealt with
 * once, here: re-created when it is empty and unused, otherwise left alone with exact instructions.
 */
final class QueueSetup {
    private QueueSetup() {
    }

    /**
     * @throws IllegalStateException when a queue holding messages (or in use) has other arguments, or
     *                               an exchange or the dead-letter queue does; the message says what to do
     */
    static void ensure(URI rabbit, Names names, Map<TrafficClass, Integer> maxLengths, PrintStream console) {
        RabbitTopology topology = new RabbitTopology(names, RabbitTopology.DEFAULT_DELIVERY_LIMIT, maxLengths);
        ConnectionFactory cf = new ConnectionFactory();
        List<Address> nodes;
        try {
            // a cluster URI names every node: connect to whichever accepts
            nodes = ServiceUri.hosts(rabbit, ConnectionFactory.DEFAULT_AMQP_PORT).stream()
                    .map(h -> new Address(h.host(), h.port())).toList();
            cf.setUri(ServiceUri.first(rabbit, rabbit.getScheme(), ConnectionFactory.DEFAULT_AMQP_PORT));
        } catch (Exception e) {
            throw new IllegalStateException("TAGGER_RABBITMQ_URI is not an AMQP URI: " + e.getMessage(), e);
        }
        cf.setAutomaticRecoveryEnabled(false);
        cf.setConnectionTimeout(3_000);
        try (Connection c = cf.newConnection(nodes, "tagger-up-setup")) {
            // each round fixes at most one queue; a channel error closes only its channel
            for (int round = 0; round <= TrafficClass.values().length; round++) {
                try (Channel ch = c.createChannel()) {
                    topology.declare(ch);
                    return;
                } catch (IllegalStateException mismatch) {
                    TrafficClass cls = classNamedIn(mismatch.getMessage(), names);
                    if (cls == null) {
                        throw new IllegalStateException(mismatch.getMessage()
                                + ". It is not a traffic-class queue, so ./tagger up does not touch it: delete it with "
                                + "rabbitmqctl (delete_queue / delete_exchange) once nothing needs it.", mismatch);
                    }
                    recreateIfIdle(c, names.queue(cls), mismatch.getMessage(), console);
                }
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot declare the queues on RabbitMQ at " + ServiceUri.redacted(rabbit)
                    + ": " + e.getMessage(), e);
        }
    }

    private static TrafficClass classNamedIn(String message, Names names) {
        for (TrafficClass cls : TrafficClass.values()) {
            if (message != null && message.startsWith("queue " + names.queue(cls) + " ")) {
                return cls;
            }
        }
        return null;
    }

    private static void recreateIfIdle(Connection c, String queue, String mismatch, PrintStream console)
            throws IOException, TimeoutException {
        AMQP.Queue.DeclareOk state;
        try (Channel ch = c.createChannel()) {
            state = ch.queueDeclarePassive(queue);
        }
        if (state.getMessageCount() == 0 && state.getConsumerCount() == 0) {
            try (Channel ch = c.createChannel()) {
                // quorum queues refuse delete's if-unused/if-empty flags; up runs before its own services
                // start, so only another stack attaching in these milliseconds could race this
                ch.queueDelete(queue);
            }
            console.println("tagger: queue " + queue + " was declared by an older version with other arguments and "
                    + "was empty and unused; re-created it with the current ones");
            return;
        }
        throw new IllegalStateException(mismatch + "\nIt holds " + state.getMessageCount() + " message(s) and has "
                + state.getConsumerCount() + " consumer(s), so ./tagger up left it alone. Either:\n"
                + "  - let it drain with the settings it was declared with (for a missing bound: run the old stack, or "
                + "./tagger up with TAGGER_REALTIME_MAX_LENGTH=0), until `rabbitmqctl list_queues name messages` "
                + "shows 0 for it, then run ./tagger up again; or\n"
                + "  - drop those messages: rabbitmqctl delete_queue " + queue);
    }
}
