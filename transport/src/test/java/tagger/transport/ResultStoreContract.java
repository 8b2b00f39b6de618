package tagger.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tagger.common.TagResult;
import tagger.transport.ResultStore.Completion;

/**
 * What every {@link ResultStore} + {@link ResultFeed} must do, written once and run against the
 * in-memory store and against Redis. Both roles are the same object in both implementations.
 */
public abstract class ResultStoreContract {

    /** The store of this test; the subclass closes it. */
    protected abstract ResultStore store();

    /** The feed reading what {@link #store()} writes. */
    protected abstract ResultFeed feed();

    /** The batches that {@link #store()} records bulk results in. */
    protected abstract BatchStore batches();

    private String instance() {
        return "api-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private RecordingListener subscribe(String instance) throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        feed().subscribe(instance, listener);
        listener.awaitSubscribed();
        return listener;
    }

    @Test
    void firstWriterWinsAndFetchReturnsTheWinner() {
        TagResult first = SampleJobs.result("cat");
        TagResult second = SampleJobs.result(first.requestId(), "dog");

        assertEquals(1, store().complete(List.of(new Completion(first, null))));
        assertEquals(0, store().complete(List.of(new Completion(second, null))));

        assertEquals(Map.of(first.requestId(), first), feed().fetch(List.of(first.requestId())));
    }

    @Test
    void completeEachTellsWhichResultsWereStoredAndWhichLostToAnEarlierAnswer() {
        TagResult stored = SampleJobs.result("cat");
        store().complete(List.of(new Completion(stored, null)));
        TagResult duplicate = SampleJobs.result(stored.requestId(), "dog");
        TagResult fresh = SampleJobs.result("bird");

        assertEquals(List.of(false, true), store().completeEach(List.of(new Completion(duplicate, null),
                new Completion(fresh, null))));
    }

    @Test
    void waiterIsNotifiedWithTheStoredResult() throws Exception {
        String api = instance();
        RecordingListener listener = subscribe(api);
        TagResult result = SampleJobs.result("cat");

        store().complete(List.of(new Completion(result, api)));

        assertEquals(result, listener.next());
    }

    @Test
    void secondWriterNotifiesTheWinningResult() throws Exception {
        String api = instance();
        RecordingListener listener = subscribe(api);
        TagResult first = SampleJobs.result("cat");
        store().complete(List.of(new Completion(first, api)));
        assertEquals(first, listener.next());

        store().complete(List.of(new Completion(SampleJobs.result(first.requestId(), "dog"), api)));

        assertEquals(first, listener.next());
    }

    @Test
    void redeliveryAfterACrashBetweenStoringAndNotifyingStillWakesTheWaiter() throws Exception {
        String api = instance();
        RecordingListener listener = subscribe(api);
        TagResult stored = SampleJobs.result("cat");
        store().complete(List.of(new Completion(stored, null))); // stored, but its notification never went out

        store().complete(List.of(new Completion(SampleJobs.result(stored.requestId(), "dog"), api)));

        assertEquals(stored, listener.next());
    }

    @Test
    void batchReportsHowManyWereFirstWrites() {
        TagResult a = SampleJobs.result("cat");
        TagResult b = SampleJobs.result("dog");
        TagResult aAgain = SampleJobs.result(a.requestId(), "bird");

        int stored = store().complete(List.of(new Completion(a, null), new Completion(b, null),
                new Completion(aAgain, null)));

        assertEquals(2, stored);
        assertEquals(Map.of(a.requestId(), a, b.requestId(), b), feed().fetch(List.of(a.requestId(), b.requestId())));
    }

    @Test
    void fetchFindsStoredResultsAndOmitsMissingIds() {
        TagResult a = SampleJobs.result("cat");
        store().complete(List.of(new Completion(a, null)));
        String missing = UUID.randomUUID().toString();

        Map<String, TagResult> found = feed().fetch(List.of(missing, a.requestId()));

        assertEquals(Map.of(a.requestId(), a), found);
        assertTrue(feed().fetch(List.of()).isEmpty());
        assertEquals(0, store().complete(List.of()));
    }

    @Test
    void notificationSentWhileUnsubscribedIsLostButFetchRecoversIt() throws Exception {
        String api = instance();
        TagResult missed = SampleJobs.result("cat");
        store().complete(List.of(new Completion(missed, api)));

        RecordingListener listener = subscribe(api);
        TagResult marker = SampleJobs.result("marker");
        store().complete(List.of(new Completion(marker, api)));

        assertEquals(marker, listener.next(), "pub/sub does not replay: the first notification is the marker");
        assertEquals(Map.of(missed.requestId(), missed), feed().fetch(List.of(missed.requestId())));
    }

    @Test
    void notificationsReachOnlyTheAddressedInstance() throws Exception {
        String one = instance();
        String two = instance();
        RecordingListener first = subscribe(one);
        RecordingListener second = subscribe(two);
        TagResult forTwo = SampleJobs.result("cat");

        store().complete(List.of(new Completion(forTwo, two)));
        TagResult forOne = SampleJobs.result("dog");
        store().complete(List.of(new Completion(forOne, one)));

        assertEquals(forTwo, second.next());
        assertEquals(forOne, first.next());
        assertFalse(first.hasPendingResults());
    }

    @Test
    void readyWhileTheStoreIsReachable() {
        assertTrue(store().isReady());
        assertTrue(feed().isReady());
    }

    @Test
    void bulkResultsGoToTheirBatchOncePerItemAndNotUnderTheRequestId() throws Exception {
        String api = instance();
        RecordingListener listener = subscribe(api);
        String batchId = batches().claim(new BatchStore.NewBatch("b-" + UUID.randomUUID(), null, "fp", null, null,
                null, java.time.Duration.ofDays(7))).batch().id();
        TagResult item = bulk(SampleJobs.result("cat"), "item-1");
        TagResult redelivered = bulk(SampleJobs.result("dog"), "item-1");

        assertEquals(1, store().complete(List.of(new Completion(item, null, batchId))));
        assertEquals(0, store().complete(List.of(new Completion(redelivered, null, batchId))));
        store().complete(List.of(new Completion(SampleJobs.result("marker"), api)));

        assertEquals("marker", listener.next().tags().get(0).label(), "bulk results notify nobody");
        assertTrue(feed().fetch(List.of(item.requestId())).isEmpty());
        BatchStore.Page page = batches().results(batchId, null, 10);
        assertEquals(1, page.entries().size());
        tagger.common.BatchOutcome o = tagger.common.Json.read(page.entries().get(0).json(),
                tagger.common.BatchOutcome.class);
        assertEquals("item-1", o.id());
        assertEquals("cat", o.tags().get(0).label());
        assertEquals(1, batches().batch(batchId).orElseThrow().done());
    }

    @Test
    void cancelledBatchesAreReported() {
        String running = batches().claim(new BatchStore.NewBatch("b-" + UUID.randomUUID(), null, "fp", null, null,
                null, java.time.Duration.ofDays(7))).batch().id();
        String cancelled = batches().claim(new BatchStore.NewBatch("b-" + UUID.randomUUID(), null, "fp", null, null,
                null, java.time.Duration.ofDays(7))).batch().id();
        batches().cancel(cancelled);

        assertEquals(java.util.Set.of(cancelled), store().cancelledBatches(List.of(running, cancelled, "unknown")));
    }

    private static TagResult bulk(TagResult r, String itemId) {
        return new TagResult(r.requestId(), r.url(), itemId, r.tags(), r.model(), r.timings(), r.error());
    }
}
