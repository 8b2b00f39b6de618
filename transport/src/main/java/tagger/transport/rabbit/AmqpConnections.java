package tagger.transport.rabbit;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import tagger.common.Threads;

/**
 * How this project connects to RabbitMQ: short timeouts, heartbeats, named threads, and the
 * client's automatic recovery switched off because the publisher and the source reconnect
 * themselves (see {@link RabbitJobPublisher} and {@link RabbitJobSource} for why).
 */
final class AmqpConnections {
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int HEARTBEAT_SECONDS = 10;
    /** Upper bound on any channel RPC (declare, qos, consume); the client default is 10 minutes. */
    static final int RPC_TIMEOUT_MS = 10_000;

    private AmqpConnections() {
    }

    static ConnectionFactory factory(URI uri, String threadPrefix) {
        ConnectionFactory cf = new ConnectionFactory();
        try {
            cf.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("RabbitMQ URI must look like amqp://user:pass@host:5672/vhost, got "
                    + redacted(uri) + ": " + e.getMessage(), e);
        }
        cf.setAutomaticRecoveryEnabled(false);
        cf.setTopologyRecoveryEnabled(false);
        cf.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        cf.setHandshakeTimeout(CONNECT_TIMEOUT_MS * 2);
        cf.setShutdownTimeout(CONNECT_TIMEOUT_MS);
        cf.setChannelRpcTimeout(RPC_TIMEOUT_MS);
        // 5-20 s is RabbitMQ's advice; without heartbeats a dead peer can take the kernel ~11 min to notice.
        cf.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        cf.setThreadFactory(Threads.named(threadPrefix + "-amqp"));
        return cf;
    }

    /** The URI without credentials, for log lines and error messages. */
    static String redacted(URI uri) {
        if (uri == null) {
            return "null";
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
