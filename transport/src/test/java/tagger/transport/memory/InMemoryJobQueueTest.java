package tagger.transport.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tagger.common.ImageJob;
import tagger.common.TrafficClass;
import tagger.transport.JobPublisher;
import tagger.transport.JobQueueContract;
import tagger.transport.JobSource;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;
import tagger.transport.SampleJobs;

class InMemoryJobQueueTest extends JobQueueContract {
    private final InMemoryJobQueue queue = new InMemoryJobQueue(DELIVERY_LIMIT, Map.of(TrafficClass.BULK, 2));
    private final JobPublisher publisher = queue.publisher();
    private final List<JobSource> sources = new ArrayList<>();

    @Override
    protected JobPublisher publisher() {
        return publisher;
    }

    @Override
    protected JobSource newSource() {
        JobSource s = queue.source();
        sources.add(s);
        return s;
    }

    @Override
    protected List<String> deadLettered(int atLeast) {
        return queue.deadLetters().stream().map(ImageJob::requestId).toList();
    }

    @AfterEach
    void closeClients() {
        sources.forEach(JobSource::close);
        publisher.close();
    }

    @Test
    void fullQueueRefusesThePublishWithQueueFull() throws Exception {
        publisher.publish(SampleJobs.job(TrafficClass.BULK)).get();
        publisher.publish(SampleJobs.job(TrafficClass.BULK)).get();
        ImageJob third = SampleJobs.job(TrafficClass.BULK);

        ExecutionException e = assertThrows(ExecutionException.class, () -> publisher.publish(third).get());

        assertInstanceOf(QueueFullException.class, e.getCause());
        assertEquals("queue bulk is full (max length 2): refused request " + third.requestId(),
                e.getCause().getMessage());
        assertEquals(2, queue.depth(TrafficClass.BULK));
    }

    @Test
    void closedPublisherRefusesAtOnceButOthersStillPublish() throws Exception {
        JobPublisher other = queue.publisher();
        other.close();

        CompletableFuture<Void> refused = other.publish(SampleJobs.job(TrafficClass.REALTIME));

        assertTrue(refused.isCompletedExceptionally());
        assertInstanceOf(QueueUnavailableException.class, assertThrows(ExecutionException.class, refused::get).getCause());
        assertFalse(other.isReady());
        publisher.publish(SampleJobs.job(TrafficClass.REALTIME)).get();
        assertEquals(1, queue.depth(TrafficClass.REALTIME));
    }

    @Test
    void sourceStartsOnlyOnce() {
        JobSource s = newSource();
        s.start(1, d -> { }, TrafficClass.REALTIME);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> s.start(1, d -> { }, TrafficClass.REALTIME));

        assertEquals("a source starts once; this one is started", e.getMessage());
    }

    @Test
    void prefetchBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> newSource().start(0, d -> { }, TrafficClass.REALTIME));

        assertEquals("prefetch must be >= 1, got 0", e.getMessage());
    }

    @Test
    void stoppedSourceIsNotReadyAndTakesNoMoreJobs() throws Exception {
        JobSource s = newSource();
        List<ImageJob> seen = new ArrayList<>();
        s.start(5, d -> seen.add(d.job()), TrafficClass.REALTIME);
        assertTrue(s.isReady());

        s.stop();
        publisher.publish(SampleJobs.job(TrafficClass.REALTIME)).get();

        assertFalse(s.isReady());
        assertEquals(1, queue.depth(TrafficClass.REALTIME));
        assertTrue(seen.isEmpty());
    }
}
