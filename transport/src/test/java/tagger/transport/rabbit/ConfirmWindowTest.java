package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Return;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import tagger.common.ImageJob;
import tagger.common.Names;
import tagger.common.TrafficClass;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;
import tagger.transport.SampleJobs;

class ConfirmWindowTest {
    private static final Names NAMES = new Names("t");
    private static final long MS = 1_000_000L;

    private final ConfirmWindow window = new ConfirmWindow(
            new RabbitTopology(NAMES, 5, Map.of(TrafficClass.BULK, 100)), 3, 500);

    private CompletableFuture<Void> add(long seq, ImageJob job, long nowNanos) throws InterruptedException {
        assertTrue(window.reserve(0), "window full at seq " + seq);
        CompletableFuture<Void> f = new CompletableFuture<>();
        window.add(seq, job, f, nowNanos);
        return f;
    }

    private CompletableFuture<Void> add(long seq, TrafficClass cls) throws InterruptedException {
        return add(seq, SampleJobs.job(cls), 0);
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        assertTrue(f.isCompletedExceptionally(), "future is " + f);
        return assertThrows(ExecutionException.class, f::get).getCause();
    }

    @Test
    void multipleAckConfirmsEverythingUpToItsSequenceNumber() throws Exception {
        CompletableFuture<Void> one = add(1, TrafficClass.REALTIME);
        CompletableFuture<Void> two = add(2, TrafficClass.REALTIME);
        CompletableFuture<Void> three = add(3, TrafficClass.REALTIME);

        window.handleAck(2, true);

        assertTrue(one.isDone() && !one.isCompletedExceptionally());
        assertTrue(two.isDone() && !two.isCompletedExceptionally());
        assertFalse(three.isDone());
        assertEquals(1, window.size());
    }

    @Test
    void singleAckConfirmsOnlyItsOwnPublish() throws Exception {
        CompletableFuture<Void> one = add(1, TrafficClass.REALTIME);
        CompletableFuture<Void> two = add(2, TrafficClass.REALTIME);

        window.handleAck(2, false);

        assertFalse(one.isDone());
        assertTrue(two.isDone());
    }

    @Test
    void nackOnALengthLimitedQueueMeansFull() throws Exception {
        ImageJob job = SampleJobs.job(TrafficClass.BULK);
        CompletableFuture<Void> f = add(1, job, 0);

        window.handleNack(1, false);

        Throwable e = failure(f);
        assertInstanceOf(QueueFullException.class, e);
        assertEquals("queue t.bulk is full (x-max-length 100): the broker refused request " + job.requestId(),
                e.getMessage());
    }

    @Test
    void aBoundedQueueRefusesTheChannelFromItsNackUntilAPublishToItIsConfirmed() throws Exception {
        add(1, TrafficClass.BULK);
        add(2, TrafficClass.REALTIME);
        window.handleNack(2, true); // the unbounded queue's nack is no "full"

        assertEquals(java.util.Set.of("t.bulk"), window.refusing().keySet());
        assertEquals(100, window.refusing().get("t.bulk").maxLength());

        add(3, TrafficClass.REALTIME);
        window.handleAck(3, false); // a confirm for another queue says nothing of this one
        assertEquals(java.util.Set.of("t.bulk"), window.refusing().keySet());

        add(4, TrafficClass.BULK);
        window.handleAck(4, false);
        assertTrue(window.refusing().isEmpty());
    }

    @Test
    void aBoundedQueueKnownToRefuseWithRoomIsUnavailableNotFullUntilAPublishToItIsConfirmed() throws Exception {
        java.util.Set<String> refusingWithRoom = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ConfirmWindow shared = new ConfirmWindow(new RabbitTopology(NAMES, 5, Map.of(TrafficClass.BULK, 100)),
                Lane.IMAGES, 3, 500, refusingWithRoom);
        refusingWithRoom.add("t.bulk");
        ImageJob job = SampleJobs.job(TrafficClass.BULK);
        CompletableFuture<Void> f = new CompletableFuture<>();
        assertTrue(shared.reserve(0));
        shared.add(1, job, f, 0);

        shared.handleNack(1, false);

        Throwable e = failure(f);
        assertInstanceOf(QueueUnavailableException.class, e);
        assertEquals("the broker refused request " + job.requestId() + " for queue t.bulk, which has room: the queue "
                + "has no leader right now (a RabbitMQ node was lost)", e.getMessage());
        assertEquals(java.util.Set.of("t.bulk"), shared.refusing().keySet(), "still watched by the publisher");

        assertTrue(shared.reserve(0));
        shared.add(2, SampleJobs.job(TrafficClass.BULK), new CompletableFuture<>(), 0);
        shared.handleAck(2, false);
        assertTrue(refusingWithRoom.isEmpty());
        assertEquals(java.util.Set.of("t.bulk"), shared.confirmed());
    }

    @Test
    void nackOnAnUnboundedQueueMeansUnavailable() throws Exception {
        ImageJob job = SampleJobs.job(TrafficClass.REALTIME);
        CompletableFuture<Void> f = add(1, job, 0);
        CompletableFuture<Void> g = add(2, TrafficClass.REALTIME);

        window.handleNack(2, true);

        Throwable e = failure(f);
        assertInstanceOf(QueueUnavailableException.class, e);
        assertEquals("the broker refused request " + job.requestId() + " for queue t.realtime (nack without a "
                + "length limit: an internal queue error)", e.getMessage());
        assertInstanceOf(QueueUnavailableException.class, failure(g));
    }

    @Test
    void returnedPublishFailsWhenItsAckArrives() throws Exception {
        ImageJob job = SampleJobs.job(TrafficClass.REALTIME);
        CompletableFuture<Void> f = add(1, job, 0);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId(job.requestId()).build();

        window.handle(new Return(312, "NO_ROUTE", "t.images", "realtime", props, new byte[0]));
        assertFalse(f.isDone());
        window.handleAck(1, false);

        assertEquals("request " + job.requestId() + " was returned unroutable (312 NO_ROUTE): no queue is bound to "
                + "exchange t.images for routing key realtime", failure(f).getMessage());
    }

    @Test
    void overdueConfirmsExpireOldestFirstAndOthersWait() throws Exception {
        ImageJob old = SampleJobs.job(TrafficClass.REALTIME);
        CompletableFuture<Void> early = add(1, old, 0);
        CompletableFuture<Void> late = add(2, SampleJobs.job(TrafficClass.REALTIME), 400 * MS);

        assertEquals(0, window.expire(499 * MS));
        assertEquals(1, window.expire(500 * MS));

        assertEquals("no publisher confirm for request " + old.requestId() + " within 500 ms",
                failure(early).getMessage());
        assertFalse(late.isDone());
    }

    @Test
    void failAllFailsEveryPendingPublishAndFreesTheWindow() throws Exception {
        CompletableFuture<Void> one = add(1, TrafficClass.REALTIME);
        CompletableFuture<Void> two = add(2, TrafficClass.BULK);
        add(3, TrafficClass.BULK);
        assertFalse(window.reserve(0), "window of 3 should be full");

        window.failAll(p -> new QueueUnavailableException("lost " + p.job.requestId()));

        assertTrue(failure(one).getMessage().startsWith("lost "));
        assertInstanceOf(QueueUnavailableException.class, failure(two));
        assertEquals(0, window.size());
        assertTrue(window.reserve(0));
    }

    @Test
    void lateAckAfterATimeoutChangesNothing() throws Exception {
        CompletableFuture<Void> f = add(1, TrafficClass.REALTIME);
        window.expire(Long.MAX_VALUE / 2);

        window.handleAck(1, false);

        assertInstanceOf(QueueUnavailableException.class, failure(f));
    }

    @Test
    void cancelledPublishFailsWithTheGivenReason() throws Exception {
        CompletableFuture<Void> f = add(7, TrafficClass.REALTIME);

        window.cancel(7, new QueueUnavailableException("socket closed"));

        assertEquals("socket closed", failure(f).getMessage());
        assertEquals(0, window.size());
    }
}
