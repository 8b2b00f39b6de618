package tagger.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tagger.common.ImageJob;
import tagger.common.TrafficClass;

/**
 * What every {@link JobPublisher}/{@link JobSource} pair must do, written once and run against
 * the in-memory queue and against RabbitMQ. Subclasses configure a delivery limit of
 * {@link #DELIVERY_LIMIT} and close what they hand out after each test.
 */
public abstract class JobQueueContract {
    protected static final int DELIVERY_LIMIT = 2;

    /** The publisher of this test, ready to publish. */
    protected abstract JobPublisher publisher();

    /** A new, not yet started source on the same queues. */
    protected abstract JobSource newSource();

    /** Request ids of dead-lettered jobs, waiting until at least {@code atLeast} are there. */
    protected abstract List<String> deadLettered(int atLeast) throws Exception;

    private RecordingHandler consume(JobSource source, int prefetch, TrafficClass... classes) {
        RecordingHandler handler = new RecordingHandler();
        source.start(prefetch, handler, classes);
        return handler;
    }

    private RecordingHandler consumeAll(JobSource source) {
        return consume(source, 10, TrafficClass.values());
    }

    private ImageJob publish(TrafficClass cls) throws Exception {
        ImageJob job = SampleJobs.job(cls);
        publisher().publish(job).get(10, TimeUnit.SECONDS);
        return job;
    }

    @Test
    void confirmedJobIsDeliveredWithIdenticalMetaAndBody() throws Exception {
        ImageJob job = publish(TrafficClass.REALTIME);
        RecordingHandler handler = consumeAll(newSource());

        JobDelivery d = handler.next();

        assertEquals(job.meta(), d.job().meta());
        assertEquals("image/jpeg", d.job().contentType());
        assertArrayEquals(job.body(), d.job().body());
        assertEquals(0, d.previousDeliveries());
        d.ack();
    }

    @Test
    void ackedJobIsNotDeliveredAgain() throws Exception {
        ImageJob job = publish(TrafficClass.REALTIME);
        JobSource first = newSource();
        RecordingHandler handler = consumeAll(first);
        handler.next().ack();
        first.close();

        RecordingHandler next = consumeAll(newSource());
        ImageJob marker = publish(TrafficClass.REALTIME);

        // anything given back would be delivered before the marker
        assertEquals(marker.requestId(), next.next().job().requestId(), "acked job " + job.requestId() + " came back");
    }

    @Test
    void jobOfACrashedWorkerComesBackWithOnePreviousDelivery() throws Exception {
        ImageJob job = publish(TrafficClass.BULK);
        JobSource crashing = newSource();
        assertEquals(job.requestId(), consumeAll(crashing).next().job().requestId());

        crashing.close(); // without settling, as a dying worker would

        JobDelivery again = consumeAll(newSource()).next();
        assertEquals(job.requestId(), again.job().requestId());
        assertEquals(1, again.previousDeliveries());
        again.ack();
    }

    @Test
    void requeuedJobComesBackCountingTheDelivery() throws Exception {
        ImageJob job = publish(TrafficClass.REALTIME);
        RecordingHandler handler = consumeAll(newSource());

        handler.next().requeue();

        JobDelivery again = handler.next();
        assertEquals(job.requestId(), again.job().requestId());
        assertEquals(1, again.previousDeliveries());
        again.ack();
    }

    @Test
    void jobPastTheDeliveryLimitIsDeadLetteredAndNotDeliveredAgain() throws Exception {
        ImageJob poison = publish(TrafficClass.REALTIME);
        RecordingHandler handler = consumeAll(newSource());

        for (int attempt = 0; attempt <= DELIVERY_LIMIT; attempt++) {
            JobDelivery d = handler.next();
            assertEquals(poison.requestId(), d.job().requestId());
            assertEquals(attempt, d.previousDeliveries());
            d.requeue();
        }

        ImageJob marker = publish(TrafficClass.REALTIME);
        assertEquals(marker.requestId(), handler.next().job().requestId());
        assertTrue(deadLettered(1).contains(poison.requestId()));
    }

    @Test
    void deadLetteredJobIsNotDeliveredAgain() throws Exception {
        ImageJob job = publish(TrafficClass.BULK);
        RecordingHandler handler = consumeAll(newSource());

        handler.next().deadLetter();

        ImageJob marker = publish(TrafficClass.BULK);
        assertEquals(marker.requestId(), handler.next().job().requestId());
        assertEquals(List.of(job.requestId()), deadLettered(1));
    }

    @Test
    void settlingTwiceIsABug() throws Exception {
        ImageJob job = publish(TrafficClass.REALTIME);
        JobDelivery d = consumeAll(newSource()).next();
        d.ack();

        IllegalStateException e = assertThrows(IllegalStateException.class, d::requeue);

        assertEquals("delivery of request " + job.requestId() + " was already settled (ack); requeue again is a bug",
                e.getMessage());
    }

    @Test
    void sourceReceivesOnlyTheClassesItConsumes() throws Exception {
        publish(TrafficClass.REALTIME);
        ImageJob bulk = publish(TrafficClass.BULK);

        RecordingHandler handler = consume(newSource(), 10, TrafficClass.BULK);

        assertEquals(bulk.requestId(), handler.next().job().requestId());
        assertNull(handler.poll(Duration.ofMillis(300)), "a realtime job reached a bulk-only source");
    }

    @Test
    void prefetchBoundsUnsettledDeliveries() throws Exception {
        for (int i = 0; i < 3; i++) {
            publish(TrafficClass.REALTIME);
        }
        RecordingHandler handler = consume(newSource(), 2, TrafficClass.REALTIME);
        JobDelivery first = handler.next();
        handler.next();
        assertNull(handler.poll(Duration.ofMillis(300)), "a third job arrived while two were unsettled");

        first.ack();

        handler.next();
    }

    @Test
    void settlingAfterTheSourceClosedChangesNothing() throws Exception {
        ImageJob job = publish(TrafficClass.REALTIME);
        JobSource closing = newSource();
        JobDelivery d = consumeAll(closing).next();
        closing.close();

        d.ack(); // too late: the job is already back in the queue

        JobDelivery again = consumeAll(newSource()).next();
        assertEquals(job.requestId(), again.job().requestId());
        assertEquals(1, again.previousDeliveries());
        again.ack();
    }
}
