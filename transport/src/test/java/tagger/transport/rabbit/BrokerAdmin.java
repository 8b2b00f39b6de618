package tagger.transport.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import tagger.common.JobHeaders;

/** A plain client connection for tests to look behind the publisher's and source's backs. */
final class BrokerAdmin implements AutoCloseable {
    private final Connection connection;

    BrokerAdmin(URI uri) throws Exception {
        ConnectionFactory cf = new ConnectionFactory();
        cf.setUri(uri);
        cf.setAutomaticRecoveryEnabled(false);
        this.connection = cf.newConnection("tagger-test-admin");
    }

    /** A fresh channel: broker errors close the channel they happen on. */
    Channel channel() throws Exception {
        return connection.createChannel();
    }

    /** Drains the queue and returns the request ids (or message ids) of what was in it, waiting up to 10 s for {@code atLeast}. */
    List<String> drain(String queue, int atLeast) throws Exception {
        List<String> ids = new ArrayList<>();
        long end = System.nanoTime() + 10_000_000_000L;
        try (Channel ch = channel()) {
            while (ids.size() < atLeast && System.nanoTime() - end < 0) {
                GetResponse r = ch.basicGet(queue, true);
                if (r == null) {
                    Thread.sleep(20);
                    continue;
                }
                Object id = r.getProps().getHeaders() == null ? null : r.getProps().getHeaders().get(JobHeaders.REQUEST_ID);
                ids.add(id != null ? id.toString() : r.getProps().getMessageId());
            }
        }
        return ids;
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
