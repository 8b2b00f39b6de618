package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tagger.common.TrafficClass;
import tagger.testkit.TestNamespace;
import tagger.transport.QueueFullException;
import tagger.transport.rabbit.RabbitJobPublisher;
import tagger.transport.rabbit.RabbitTopology;

/** ./tagger up on a broker where an older version left the queues with other arguments. */
class QueueSetupIT {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    private static RabbitTopology unbounded(TestNamespace ns) {
        return new RabbitTopology(ns.names(), RabbitTopology.DEFAULT_DELIVERY_LIMIT, Map.of());
    }

    private static void declareAsOlderVersions(TestNamespace ns) throws Exception {
        ConnectionFactory cf = new ConnectionFactory();
        cf.setUri(ns.rabbitUri());
        try (Connection c = cf.newConnection(); Channel ch = c.createChannel()) {
            unbounded(ns).declare(ch); // as before TAGGER_REALTIME_MAX_LENGTH
        }
    }

    @Test
    void anEmptyQueueLeftWithOtherArgumentsIsRecreatedWithTheCurrentOnes() throws Exception {
        try (TestNamespace ns = TestNamespace.random()) {
            declareAsOlderVersions(ns);
            QueueSetup.ensure(ns.rabbitUri(), ns.names(), Map.of(TrafficClass.REALTIME, 2), out);
            assertEquals("tagger: queue " + ns.names().queue(TrafficClass.REALTIME) + " was declared by an older version "
                    + "with other arguments and was empty and unused; re-created it with the current ones\n",
                    console.toString(StandardCharsets.UTF_8));
            // it is bounded now: a publisher with the same settings is refused after about 2
            RabbitTopology bounded = new RabbitTopology(ns.names(), RabbitTopology.DEFAULT_DELIVERY_LIMIT,
                    Map.of(TrafficClass.REALTIME, 2));
            try (RabbitJobPublisher publisher = new RabbitJobPublisher(ns.rabbitUri(), bounded)) {
                TestStack.awaitTrue("the publisher is connected", java.time.Duration.ofSeconds(10), publisher::isReady);
                Throwable refused = null;
                for (int i = 0; i < 10 && refused == null; i++) {
                    try {
                        publisher.publish(tagger.launcher.SampleJob.realtime()).get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        refused = e.getCause();
                    }
                }
                assertInstanceOf(QueueFullException.class, refused);
            }
        }
    }

    @Test
    void aQueueHoldingMessagesIsLeftAloneWithExactInstructions() throws Exception {
        try (TestNamespace ns = TestNamespace.random()) {
            declareAsOlderVersions(ns);
            try (RabbitJobPublisher old = new RabbitJobPublisher(ns.rabbitUri(), unbounded(ns))) {
                TestStack.awaitTrue("the publisher is connected", java.time.Duration.ofSeconds(10), old::isReady);
                old.publish(SampleJob.realtime()).get(10, TimeUnit.SECONDS);
            }
            String queue = ns.names().queue(TrafficClass.REALTIME);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> QueueSetup.ensure(ns.rabbitUri(), ns.names(), Map.of(TrafficClass.REALTIME, 2), out));
            assertTrue(e.getMessage().startsWith("queue " + queue + " "), e.getMessage());
            assertTrue(e.getMessage().contains("inequivalent arg 'x-max-length'"), e.getMessage());
            assertTrue(e.getMessage().contains("It holds 1 message(s) and has 0 consumer(s), so ./tagger up left it "
                    + "alone."), e.getMessage());
            assertTrue(e.getMessage().endsWith("drop those messages: rabbitmqctl delete_queue " + queue), e.getMessage());
            assertEquals(1, ns.messageCount(queue), "the message is still there");
        }
    }

    @Test
    void queuesWithTheCurrentArgumentsAreLeftAsTheyAre() throws Exception {
        try (TestNamespace ns = TestNamespace.random()) {
            QueueSetup.ensure(ns.rabbitUri(), ns.names(), Map.of(TrafficClass.REALTIME, 2), out);
            QueueSetup.ensure(ns.rabbitUri(), ns.names(), Map.of(TrafficClass.REALTIME, 2), out);
            assertEquals("", console.toString(StandardCharsets.UTF_8));
        }
    }
}
