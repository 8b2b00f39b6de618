package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tagger.common.TrafficClass;
import tagger.testkit.TestNamespace;
import tagger.transport.Eventually;
import tagger.transport.QueueStats;
import tagger.transport.QueueUnavailableException;
import tagger.transport.SampleJobs;

class RabbitQueueStatsIT {

    @Test
    void queuesThatDoNotExistYetCountAsEmpty() {
        try (TestNamespace ns = TestNamespace.random(); RabbitQueueStats stats = new RabbitQueueStats(ns.rabbitUri(), ns.names())) {
            Map<String, QueueStats.Depth> depths = stats.depths();
            assertEquals(Map.of("realtime", new QueueStats.Depth(0, 0), "bulk", new QueueStats.Depth(0, 0),
                    "bulk-urls", new QueueStats.Depth(0, 0), "dead", new QueueStats.Depth(0, 0)), depths);
        }
    }

    @Test
    void publishedJobsAreCountedPerTrafficClass() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                RabbitJobPublisher publisher = new RabbitJobPublisher(ns.rabbitUri(), RabbitTopology.defaults(ns.names()));
                RabbitQueueStats stats = new RabbitQueueStats(ns.rabbitUri(), ns.names())) {
            Eventually.await("the publisher is connected", Duration.ofSeconds(10), publisher::isReady);
            for (int i = 0; i < 3; i++) {
                publisher.publish(SampleJobs.job(TrafficClass.REALTIME)).get(5, TimeUnit.SECONDS);
            }
            publisher.publish(SampleJobs.job(TrafficClass.BULK)).get(5, TimeUnit.SECONDS);
            Map<String, QueueStats.Depth> depths = stats.depths();
            assertEquals(3, depths.get("realtime").messages());
            assertEquals(1, depths.get("bulk").messages());
            assertEquals(0, depths.get("dead").messages());
            assertEquals(0, depths.get("realtime").consumers());
        }
    }

    @Test
    void anUnreachableBrokerIsUnavailableNamingWhere() {
        try (TestNamespace ns = TestNamespace.random();
                RabbitQueueStats stats = new RabbitQueueStats(URI.create("amqp://guest:guest@127.0.0.1:1"), ns.names())) {
            QueueUnavailableException e = assertThrows(QueueUnavailableException.class, stats::depths);
            assertTrue(e.getMessage().startsWith("reading queue depths from RabbitMQ at amqp://127.0.0.1:1 failed"),
                    e.getMessage());
        }
    }
}
