package tagger.transport.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import tagger.common.ImageJob;
import tagger.common.JobHeaders;
import tagger.transport.QueueUnavailableException;

/**
 * One connection with its confirm-mode channel and the {@link ConfirmWindow} of that channel.
 *
 * <p>Only the publishing thread calls {@link #send}; the window is also touched by the client's I/O
 * thread (confirms) and the publisher's timer (timeouts), which it is made for. When the channel
 * closes for any reason, every unconfirmed publish in its window fails at once.
 */
final class PublishingChannel {
    private static final long WAIT_FOR_ROOM_MS = 50;

    private final Connection connection;
    private final Channel channel;
    private final ConfirmWindow window;
    private final RabbitTopology topology;
    private final Lane lane;
    private final String where;
    private volatile String blocked;

    private PublishingChannel(Connection connection, Channel channel, ConfirmWindow window, RabbitTopology topology,
                              Lane lane, String where) {
        this.connection = connection;
        this.channel = channel;
        this.window = window;
        this.topology = topology;
        this.lane = lane;
        this.where = where;
    }

    /**
     * Connects, declares the topology and switches to confirm mode.
     *
     * @param refusingWithRoom queues known to refuse publishes although they have room ({@link ConfirmWindow})
     * @param onLost told why, when the channel closes without us closing it
     * @throws IllegalStateException when the topology on the broker does not match
     */
    static PublishingChannel open(ConnectionFactory factory, RabbitTopology topology, Lane lane, int maxInFlight,
                                  long confirmTimeoutMs, Set<String> refusingWithRoom, String where,
                                  Consumer<String> onLost)
            throws IOException, TimeoutException {
        Connection connection = factory.newConnection("tagger-publisher");
        try {
            Channel channel = connection.createChannel();
            topology.declare(channel);
            channel.confirmSelect();
            ConfirmWindow window = new ConfirmWindow(topology, lane, maxInFlight, confirmTimeoutMs, refusingWithRoom);
            channel.addConfirmListener(window);
            channel.addReturnListener(window);
            PublishingChannel pc = new PublishingChannel(connection, channel, window, topology, lane, where);
            connection.addBlockedListener(reason -> pc.blocked = reason, () -> pc.blocked = null);
            // a channel is also shut down when its connection dies, so this one listener covers both
            channel.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    onLost.accept(cause.getMessage());
                }
                window.failAll(p -> new QueueUnavailableException("connection to RabbitMQ at " + where
                        + " lost before request " + p.job.requestId() + " was confirmed: " + cause.getMessage()));
            });
            return pc;
        } catch (IOException | RuntimeException e) {
            connection.abort(AmqpConnections.CONNECT_TIMEOUT_MS);
            throw e;
        }
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Why the broker blocks publishing on this connection (a resource alarm), or null. */
    String blocked() {
        return blocked;
    }

    ConfirmWindow window() {
        return window;
    }

    /**
     * Publishes one job as a persistent, mandatory message; its future completes with the confirm.
     * Waits while the window is full, failing the job if the channel closes meanwhile.
     */
    void send(ImageJob job, CompletableFuture<Void> future) throws InterruptedException {
        while (!window.reserve(WAIT_FOR_ROOM_MS)) {
            if (!isOpen()) {
                future.completeExceptionally(new QueueUnavailableException("connection to RabbitMQ at " + where
                        + " closed before request " + job.requestId() + " was sent"));
                return;
            }
        }
        long seq = channel.getNextPublishSeqNo();
        window.add(seq, job, future, System.nanoTime());
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType(job.contentType())
                .deliveryMode(2)
                .messageId(job.requestId())
                .headers(JobHeaders.encode(job.meta()))
                .build();
        try {
            channel.basicPublish(lane.exchange(topology.names()),
                    lane.routingKey(topology.names(), job.meta().trafficClass()), true, props, job.body());
        } catch (IOException | AlreadyClosedException e) {
            window.cancel(seq, new QueueUnavailableException("publishing request " + job.requestId()
                    + " to RabbitMQ at " + where + " failed: " + e.getMessage(), e));
        }
    }

    /**
     * Messages ready in {@code queue}, as the broker reports them to a passive declare on this
     * channel. Publishing thread only, like {@link #send}.
     */
    long readyMessages(String queue) throws IOException {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    /** Closes the socket at once (unblocking a stalled write); unconfirmed publishes fail. */
    void abort() {
        connection.abort(AmqpConnections.CONNECT_TIMEOUT_MS);
    }
}
