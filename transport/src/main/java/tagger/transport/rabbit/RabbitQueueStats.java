package tagger.transport.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import tagger.common.Names;
import tagger.common.TrafficClass;
import tagger.transport.QueueStats;
import tagger.transport.QueueUnavailableException;

/**
 * Queue depths read with passive declares on a connection of its own (opened on first use, reopened
 * after a failure), so that inspecting never touches the publisher's channel or needs the
 * management plugin.
 */
public final class RabbitQueueStats implements QueueStats {
    private final URI uri;
    private final Names names;
    private Connection connection;

    public RabbitQueueStats(URI uri, Names names) {
        this.uri = uri;
        this.names = names;
    }

    @Override
    public synchronized Map<String, Depth> depths() {
        Map<String, Depth> depths = new LinkedHashMap<>();
        try {
            Connection c = connection();
            for (TrafficClass cls : TrafficClass.values()) {
                depths.put(cls.key(), depth(c, names.queue(cls)));
            }
            depths.put(BULK_URLS, depth(c, names.bulkUrlQueue()));
            depths.put(DEAD, depth(c, names.deadLetter()));
            return depths;
        } catch (IOException | TimeoutException | RuntimeException e) {
            closeConnection();
            throw new QueueUnavailableException("reading queue depths from RabbitMQ at "
                    + AmqpConnections.redacted(uri) + " failed: " + e.getMessage(), e);
        }
    }

    private static Depth depth(Connection c, String queue) throws IOException, TimeoutException {
        // a fresh channel per queue: a passive declare of a missing queue closes its channel with 404
        Channel ch = c.createChannel();
        try {
            AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(queue);
            return new Depth(ok.getMessageCount(), ok.getConsumerCount());
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == 404) {
                return new Depth(0, 0); // not declared yet: nobody published or consumed
            }
            throw e;
        } finally {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (IOException | TimeoutException | RuntimeException ignored) {
                    // the depth is read; a failed close changes nothing for the caller
                }
            }
        }
    }

    private Connection connection() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = AmqpConnections.factory(uri, "tagger-queue-stats").newConnection("tagger-queue-stats");
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.abort(1_000);
            } catch (RuntimeException ignored) {
                // best effort: the next call opens a new one
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
