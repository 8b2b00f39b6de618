package tagger.transport.rabbit;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;
import tagger.common.ServiceUri;
import tagger.common.Threads;

/**
 * How this project connects to RabbitMQ: short timeouts, heartbeats, named threads, and the
 * client's automatic recovery switched off because the publisher and the source reconnect
 * themselves (see {@link RabbitJobPublisher} and {@link RabbitJobSource} for why).
 *
 * <p>A URI may name a cluster node by node ({@code amqp://user:pass@n1:5672,n2:5672,n3:5672/vhost}).
 * Then every connection attempt (each reconnect of the publisher's and the source's loops included)
 * goes through the client's address list: the nodes in a shuffled order, the first that accepts wins.
 * So a client whose node died reconnects to a live one, and clients spread over the nodes.
 */
final class AmqpConnections {
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int HEARTBEAT_SECONDS = 10;
    /** Upper bound on any channel RPC (declare, qos, consume); the client default is 10 minutes. */
    static final int RPC_TIMEOUT_MS = 10_000;

    private AmqpConnections() {
    }

    static ConnectionFactory factory(URI uri, String threadPrefix) {
        List<Address> nodes;
        URI first;
        try {
            int defaultPort = "amqps".equals(uri.getScheme()) ? ConnectionFactory.DEFAULT_AMQP_OVER_SSL_PORT
                    : ConnectionFactory.DEFAULT_AMQP_PORT;
            nodes = ServiceUri.hosts(uri, defaultPort).stream().map(h -> new Address(h.host(), h.port())).toList();
            first = nodes.size() == 1 ? uri : ServiceUri.first(uri, uri.getScheme(), defaultPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RabbitMQ URI must look like amqp://user:pass@host:5672[,host:5672...]/vhost, got "
                    + redacted(uri) + ": " + e.getMessage(), e);
        }
        ConnectionFactory cf = nodes.size() == 1 ? new ConnectionFactory() : new ClusterConnectionFactory(nodes);
        try {
            cf.setUri(first);
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

    /** The URI without credentials, for log lines and error messages (every node of a cluster). */
    static String redacted(URI uri) {
        return ServiceUri.redacted(uri);
    }

    /**
     * Connects through the address list of a cluster URI: {@code newConnection(name)}, which every
     * caller uses, otherwise connects to the factory's one host.
     */
    private static final class ClusterConnectionFactory extends ConnectionFactory {
        private final List<Address> nodes;

        ClusterConnectionFactory(List<Address> nodes) {
            this.nodes = List.copyOf(nodes);
        }

        @Override
        public Connection newConnection(String clientProvidedName) throws IOException, TimeoutException {
            // a ListAddressResolver: shuffles the nodes, then tries them in turn until one accepts
            return newConnection(nodes, clientProvidedName);
        }

        @Override
        public Connection newConnection() throws IOException, TimeoutException {
            return newConnection(nodes);
        }
    }
}
