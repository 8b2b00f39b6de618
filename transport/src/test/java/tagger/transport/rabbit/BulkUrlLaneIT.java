package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.TrafficClass;
import tagger.testkit.TestNamespace;
import tagger.transport.Eventually;
import tagger.transport.QueueProbe;
import tagger.transport.QueueUnavailableException;
import tagger.transport.RecordingHandler;

/** Bulk items travel through their own queue, apart from the image queues, with the same guarantees. */
class BulkUrlLaneIT {

    private static ImageJob urlItem(String url) {
        JobMeta meta = new JobMeta(java.util.UUID.randomUUID().toString(), null, TrafficClass.BULK, 1, 0, 1, 0, null,
                3, null, url, "batch-1", "item-1", null);
        return new ImageJob(meta, "text/uri-list", url.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void bulkItemsArePublishedToTheUrlQueueAndConsumedFromIt() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                RabbitJobPublisher publisher = RabbitJobPublisher.forBulkUrls(ns.rabbitUri(),
                        RabbitTopology.defaults(ns.names()));
                RabbitQueueProbe probe = new RabbitQueueProbe(ns.rabbitUri())) {
            Eventually.await("the publisher is connected", Duration.ofSeconds(10), publisher::isReady);
            ImageJob item = urlItem("http://images.test/a.jpg");

            publisher.publish(item).get(10, TimeUnit.SECONDS);

            assertEquals(new QueueProbe.Depth(1, 0), probe.depth(ns.names().bulkUrlQueue()));
            assertEquals(0, probe.depth(ns.names().queue(TrafficClass.BULK)).ready(), "not in the image queue");
            try (RabbitJobSource source = RabbitJobSource.forBulkUrls(ns.rabbitUri(),
                    RabbitTopology.defaults(ns.names()))) {
                RecordingHandler handler = new RecordingHandler();
                source.start(4, handler, TrafficClass.BULK);
                var d = handler.next();
                assertEquals(item.meta(), d.job().meta());
                assertArrayEquals(item.body(), d.job().body());
                d.ack();
                Eventually.await("the consumer shows", Duration.ofSeconds(5),
                        () -> probe.depth(ns.names().bulkUrlQueue()).consumers() == 1);
            }
        }
    }

    @Test
    void probingAMissingQueueFailsAndTheNextProbeWorks() {
        try (TestNamespace ns = TestNamespace.random();
                RabbitQueueProbe probe = new RabbitQueueProbe(ns.rabbitUri())) {
            QueueUnavailableException e = assertThrows(QueueUnavailableException.class,
                    () -> probe.depth(ns.names().bulkUrlQueue()));
            assertEquals(true, e.getMessage().startsWith("reading the depth of queue " + ns.names().bulkUrlQueue()),
                    e.getMessage());
        }
    }
}
