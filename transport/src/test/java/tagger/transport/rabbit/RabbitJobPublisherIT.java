package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tagger.common.ImageJob;
import tagger.common.TrafficClass;
import tagger.fixtures.FaultProxy;
import tagger.testkit.TestNamespace;
import tagger.transport.Eventually;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;
import tagger.transport.SampleJobs;

/** The publisher's behaviour when the broker refuses, loses or never confirms a job. */
class RabbitJobPublisherIT {
    private static final Duration READY = Duration.ofSeconds(10);
    /**
     * Short, yet long enough that the publishing thread of a busy machine has sent the job before it runs out:
     * sent jobs fail for want of a confirm, unsent ones for waiting to be sent, and the tests tell them apart.
     */
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(2);

    private TestNamespace ns;
    private BrokerAdmin admin;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void namespace() throws Exception {
        ns = TestNamespace.random();
        admin = new BrokerAdmin(ns.rabbitUri());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        admin.close();
        ns.close();
    }

    private RabbitJobPublisher publisher(URI uri, RabbitTopology topology, Duration confirmTimeout) {
        RabbitJobPublisher p = new RabbitJobPublisher(uri, topology, confirmTimeout);
        closeables.add(p);
        return p;
    }

    private RabbitJobPublisher readyPublisher(URI uri, RabbitTopology topology, Duration confirmTimeout) {
        RabbitJobPublisher p = publisher(uri, topology, confirmTimeout);
        Eventually.await("the publisher is connected", READY, p::isReady);
        return p;
    }

    private FaultProxy proxy() throws IOException {
        FaultProxy proxy = FaultProxy.to(ns.rabbitUri());
        closeables.add(proxy);
        return proxy;
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        return assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void queueAtItsLengthLimitRefusesWithQueueFull() throws Exception {
        RabbitTopology bounded = new RabbitTopology(ns.names(), 5, Map.of(TrafficClass.REALTIME, 2));
        RabbitJobPublisher publisher = readyPublisher(ns.rabbitUri(), bounded, Duration.ofSeconds(5));
        // a quorum queue applies its limit asynchronously and may take a few more (3.10 takes one)
        int accepted = 0;
        ImageJob refused = null;
        Throwable e = null;
        while (e == null && accepted < 10) {
            ImageJob job = SampleJobs.job(TrafficClass.REALTIME);
            try {
                publisher.publish(job).get(10, TimeUnit.SECONDS);
                accepted++;
            } catch (ExecutionException failed) {
                refused = job;
                e = failed.getCause();
            }
        }

        assertTrue(accepted >= 2 && accepted < 10, "accepted " + accepted + " jobs into a queue limited to 2");
        assertInstanceOf(QueueFullException.class, e);
        assertEquals("queue " + ns.names().queue(TrafficClass.REALTIME) + " is full (x-max-length 2): the broker "
                + "refused request " + refused.requestId(), e.getMessage());
        publisher.publish(SampleJobs.job(TrafficClass.BULK)).get(10, TimeUnit.SECONDS); // other classes unaffected
    }

    @Test
    void unreachableBrokerFailsPublishesAtOnceAndIsNotReady() throws Exception {
        int port = unusedPort();
        RabbitJobPublisher publisher = publisher(URI.create("amqp://guest:guest@127.0.0.1:" + port),
                RabbitTopology.defaults(ns.names()), Duration.ofSeconds(5));

        CompletableFuture<Void> f = publisher.publish(SampleJobs.job(TrafficClass.REALTIME));

        assertTrue(f.isCompletedExceptionally(), "publish must fail before returning, not hang");
        Throwable e = failure(f);
        assertInstanceOf(QueueUnavailableException.class, e);
        assertTrue(e.getMessage().startsWith("not connected to RabbitMQ at amqp://127.0.0.1:" + port + ": "),
                e.getMessage());
        assertFalse(publisher.isReady());
    }

    @Test
    void unroutablePublishFailsInsteadOfVanishing() throws Exception {
        RabbitJobPublisher publisher = readyPublisher(ns.rabbitUri(), RabbitTopology.defaults(ns.names()),
                Duration.ofSeconds(5));
        try (Channel ch = admin.channel()) {
            ch.queueUnbind(ns.names().queue(TrafficClass.BULK), ns.names().exchange(), TrafficClass.BULK.key());
        }
        ImageJob job = SampleJobs.job(TrafficClass.BULK);

        Throwable e = failure(publisher.publish(job));

        assertInstanceOf(QueueUnavailableException.class, e);
        assertEquals("request " + job.requestId() + " was returned unroutable (312 NO_ROUTE): no queue is bound to "
                + "exchange " + ns.names().exchange() + " for routing key bulk", e.getMessage());
    }

    @Test
    void topologyMismatchIsAnErrorNamingTheQueue() throws Exception {
        String queue = ns.names().queue(TrafficClass.REALTIME);
        try (Channel ch = admin.channel()) {
            ch.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum", "x-delivery-limit", 9));
        }

        Channel ch = admin.channel(); // the broker closes it on the mismatch
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RabbitTopology.defaults(ns.names()).declare(ch));

        assertTrue(e.getMessage().startsWith("queue " + queue + " {"), e.getMessage());
        assertTrue(e.getMessage().contains("} already exists on the broker with other settings (PRECONDITION_FAILED - "
                + "inequivalent arg '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("delete it or configure the same settings on every service"), e.getMessage());
        RabbitJobPublisher publisher = publisher(ns.rabbitUri(), RabbitTopology.defaults(ns.names()), Duration.ofSeconds(5));
        Eventually.await("the publisher reports the mismatch", READY,
                () -> failure(publisher.publish(SampleJobs.job(TrafficClass.REALTIME))).getMessage()
                        .contains("already exists on the broker with other settings"));
        assertFalse(publisher.isReady());
    }

    @Test
    void missingConfirmFailsThePublishAfterTheConfirmTimeout() throws Exception {
        FaultProxy proxy = proxy();
        RabbitJobPublisher publisher = readyPublisher(proxy.uriFor(ns.rabbitUri()), RabbitTopology.defaults(ns.names()),
                CONFIRM_TIMEOUT);
        proxy.freezeAll();
        ImageJob job = SampleJobs.job(TrafficClass.REALTIME);

        Throwable e = failure(publisher.publish(job));

        assertInstanceOf(QueueUnavailableException.class, e);
        assertEquals("no publisher confirm for request " + job.requestId() + " within 2000 ms", e.getMessage());
    }

    @Test
    void lostConnectionFailsOutstandingPublishesPromptlyThenReconnects() throws Exception {
        FaultProxy proxy = proxy();
        RabbitJobPublisher publisher = readyPublisher(proxy.uriFor(ns.rabbitUri()), RabbitTopology.defaults(ns.names()),
                Duration.ofSeconds(60));
        proxy.freezeAll(); // confirms stop coming, so these stay outstanding
        List<CompletableFuture<Void>> outstanding = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            outstanding.add(publisher.publish(SampleJobs.job(TrafficClass.REALTIME)));
        }
        Eventually.await("the publishing thread sent all three", READY, () -> publisher.unconfirmed() == 3);

        proxy.cutAll();

        for (CompletableFuture<Void> f : outstanding) {
            Throwable e = failure(f); // well before the 60 s confirm timeout
            assertInstanceOf(QueueUnavailableException.class, e);
            assertTrue(e.getMessage().startsWith("connection to RabbitMQ at amqp://127.0.0.1:" + proxy.port()
                    + " lost before request "), e.getMessage());
        }
        Eventually.await("the publisher has reconnected", READY, publisher::isReady);
        publisher.publish(SampleJobs.job(TrafficClass.REALTIME)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void stalledConnectionStillFailsEveryPublishWithinTheConfirmTimeout() throws Exception {
        FaultProxy proxy = proxy();
        RabbitJobPublisher publisher = readyPublisher(proxy.uriFor(ns.rabbitUri()), RabbitTopology.defaults(ns.names()),
                CONFIRM_TIMEOUT);
        proxy.stallAll(); // the broker stops reading: socket buffers fill and the publishing thread blocks in a write
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ImageJob job = SampleJobs.job(TrafficClass.BULK);
            futures.add(publisher.publish(new ImageJob(job.meta(), job.contentType(), new byte[1024 * 1024])));
        }

        List<String> messages = new ArrayList<>();
        for (CompletableFuture<Void> f : futures) {
            Throwable e = failure(f);
            assertInstanceOf(QueueUnavailableException.class, e);
            messages.add(e.getMessage());
        }
        assertTrue(messages.stream().anyMatch(m -> m.endsWith("within 2000 ms")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.endsWith("ms to be sent: the connection to RabbitMQ at "
                + "amqp://127.0.0.1:" + proxy.port() + " is not draining")), messages.toString());
    }

    @Test
    void publishWhileTheBrokerIsDownFailsAtOnce() throws Exception {
        FaultProxy proxy = proxy();
        RabbitJobPublisher publisher = readyPublisher(proxy.uriFor(ns.rabbitUri()), RabbitTopology.defaults(ns.names()),
                Duration.ofSeconds(5));
        proxy.refuseNew(true);
        proxy.cutAll();
        Eventually.await("the publisher noticed the loss", READY, () -> !publisher.isReady());

        CompletableFuture<Void> f = publisher.publish(SampleJobs.job(TrafficClass.REALTIME));

        assertTrue(f.isCompletedExceptionally());
        assertInstanceOf(QueueUnavailableException.class, failure(f));
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
