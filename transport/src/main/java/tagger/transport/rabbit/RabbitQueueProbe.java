package tagger.transport.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;
import tagger.transport.QueueProbe;
import tagger.transport.QueueUnavailableException;

/**
 * Reads queue depths with a passive declare on its own connection, opened on first use and again
 * after any failure (a passive declare of a missing queue closes the channel). One caller at a time.
 */
public final class RabbitQueueProbe implements QueueProbe, AutoCloseable {
    private final ConnectionFactory factory;
    private final String where;
    private Connection connection;
    private Channel channel;

    public RabbitQueueProbe(URI uri) {
        this.factory = AmqpConnections.factory(uri, "tagger-rabbit-probe");
        this.where = AmqpConnections.redacted(uri);
    }

    @Override
    public synchronized Depth depth(String queue) {
        try {
            if (channel == null || !channel.isOpen()) {
                closeQuietly();
                connection = factory.newConnection("tagger-queue-probe");
                channel = connection.createChannel();
            }
            AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
            return new Depth(ok.getMessageCount(), ok.getConsumerCount());
        } catch (IOException | TimeoutException | RuntimeException e) {
            closeQuietly();
            throw new QueueUnavailableException("reading the depth of queue " + queue + " from RabbitMQ at " + where
                    + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            connection.abort(AmqpConnections.CONNECT_TIMEOUT_MS);
        }
        connection = null;
        channel = null;
    }
}
