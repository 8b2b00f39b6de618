package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tagger.common.ImageJob;
import tagger.common.TrafficClass;
import tagger.fixtures.FaultProxy;
import tagger.testkit.TestNamespace;
import tagger.transport.Eventually;
import tagger.transport.JobDelivery;
import tagger.transport.RecordingHandler;
import tagger.transport.SampleJobs;

/** The source's behaviour with messages it cannot read and connections that die under it. */
class RabbitJobSourceIT {
    private static final Duration READY = Duration.ofSeconds(10);

    private TestNamespace ns;
    private RabbitTopology topology;
    private BrokerAdmin admin;
    private RabbitJobPublisher publisher;
    private RabbitJobSource source;
    private FaultProxy proxy;

    @BeforeEach
    void connect() throws Exception {
        ns = TestNamespace.random();
        topology = new RabbitTopology(ns.names(), 5, Map.of());
        admin = new BrokerAdmin(ns.rabbitUri());
        publisher = new RabbitJobPublisher(ns.rabbitUri(), topology);
        proxy = FaultProxy.to(ns.rabbitUri());
        Eventually.await("the publisher is connected", READY, publisher::isReady);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (source != null) {
            source.close();
        }
        publisher.close();
        proxy.close();
        admin.close();
        ns.close();
    }

    private RecordingHandler consume(java.net.URI uri) {
        source = new RabbitJobSource(uri, topology);
        RecordingHandler handler = new RecordingHandler();
        source.start(10, handler, TrafficClass.values());
        return handler;
    }

    @Test
    void messageWhoseHeadersDoNotDecodeIsDeadLetteredWithoutReachingTheHandler() throws Exception {
        try (Channel ch = admin.channel()) {
            ch.basicPublish(ns.names().exchange(), TrafficClass.REALTIME.key(),
                    new AMQP.BasicProperties.Builder().messageId("no-headers").deliveryMode(2).build(), new byte[] {1});
        }
        RecordingHandler handler = consume(ns.rabbitUri());
        ImageJob marker = SampleJobs.job(TrafficClass.REALTIME);
        publisher.publish(marker).get(10, TimeUnit.SECONDS);

        assertEquals(marker.requestId(), handler.next().job().requestId());
        assertEquals(List.of("no-headers"), admin.drain(ns.names().deadLetter(), 1));
    }

    @Test
    void sourceReconnectsAfterConnectionLossAndAStaleAckTouchesNothingOnTheNewChannel() throws Exception {
        RecordingHandler handler = consume(proxy.uriFor(ns.rabbitUri()));
        ImageJob job = SampleJobs.job(TrafficClass.BULK);
        publisher.publish(job).get(10, TimeUnit.SECONDS);
        JobDelivery first = handler.next();

        proxy.cutAll();

        JobDelivery again = handler.next(); // on the new connection, with the same delivery tag as before
        assertEquals(job.requestId(), again.job().requestId());
        assertEquals(1, again.previousDeliveries());
        first.ack(); // stale: logged, not sent; sent, it would ack the new delivery and break the next ack
        again.ack();
        assertNull(handler.poll(Duration.ofMillis(300)), "the job came a third time: an ack went wrong");
        assertTrue(source.isReady());
    }

    @Test
    void stoppedSourceTakesNoNewJobsButSettlesTheOnesItHas() throws Exception {
        RecordingHandler handler = consume(ns.rabbitUri());
        publisher.publish(SampleJobs.job(TrafficClass.REALTIME)).get(10, TimeUnit.SECONDS);
        JobDelivery held = handler.next();

        source.stop();
        ImageJob later = SampleJobs.job(TrafficClass.REALTIME);
        publisher.publish(later).get(10, TimeUnit.SECONDS);
        held.ack();

        assertFalse(source.isReady());
        assertNull(handler.poll(Duration.ofMillis(300)), "a stopped source took a new job");
        source.close();
        source = null;
        assertEquals(List.of(later.requestId()), admin.drain(ns.names().queue(TrafficClass.REALTIME), 1));
    }
}
