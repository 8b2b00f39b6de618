package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tagger.common.TrafficClass;
import tagger.testkit.TestNamespace;
import tagger.transport.Eventually;
import tagger.transport.SampleJobs;

/**
 * A URI naming several nodes connects to whichever accepts: one node of the list is a port where
 * nothing listens, the other the test broker. (A real cluster losing a node: RabbitClusterIT.)
 */
class AddressListIT {

    @Test
    void everyConnectionReachesTheLiveNodeWhicheverOrderTheShuffleChose() throws Exception {
        try (TestNamespace ns = TestNamespace.random()) {
            URI list = withDeadNodeFirst(ns.rabbitUri());
            ConnectionFactory cf = AmqpConnections.factory(list, "address-list-it");
            // the list is shuffled per connection: enough attempts that the dead node comes first in some
            for (int i = 0; i < 8; i++) {
                try (Connection c = cf.newConnection("address-list-it")) {
                    assertEquals(ns.rabbitUri().getPort(), c.getPort());
                }
            }
            try (RabbitJobPublisher publisher = new RabbitJobPublisher(list, RabbitTopology.defaults(ns.names()))) {
                Eventually.await("the publisher is connected", Duration.ofSeconds(10), publisher::isReady);
                publisher.publish(SampleJobs.job(TrafficClass.REALTIME)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void whenNoNodeAcceptsTheFailureNamesTheWholeListWithoutCredentials() throws Exception {
        int a = closedPort();
        int b = closedPort();
        URI dead = URI.create("amqp://guest:secret@127.0.0.1:" + a + ",127.0.0.1:" + b + "/");
        IOException e = assertThrows(IOException.class,
                () -> AmqpConnections.factory(dead, "address-list-it").newConnection("address-list-it"));
        assertTrue(e.getMessage() == null || !e.getMessage().contains("secret"), e.getMessage());
        assertEquals("amqp://127.0.0.1:" + a + ",127.0.0.1:" + b + "/", AmqpConnections.redacted(dead));
    }

    private static URI withDeadNodeFirst(URI live) throws IOException {
        String userInfo = live.getRawUserInfo() == null ? "" : live.getRawUserInfo() + "@";
        return URI.create(live.getScheme() + "://" + userInfo + "127.0.0.1:" + closedPort() + "," + live.getHost() + ":"
                + live.getPort() + (live.getRawPath() == null ? "" : live.getRawPath()));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
