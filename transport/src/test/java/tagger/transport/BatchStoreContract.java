package tagger.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tagger.common.BatchOutcome;
import tagger.common.ErrorCode;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Tag;
import tagger.transport.BatchStore.Batch;
import tagger.transport.BatchStore.CallbackClaim;
import tagger.transport.BatchStore.CancelResult;
import tagger.transport.BatchStore.ItemResult;
import tagger.transport.BatchStore.NewBatch;
import tagger.transport.BatchStore.Page;

/** What every {@link BatchStore} must do, written once and run against the in-memory store and Redis. */
public abstract class BatchStoreContract {
    protected static final Duration RETENTION = Duration.ofDays(7);

    /** The store of this test; the subclass closes it. */
    protected abstract BatchStore store();

    protected static NewBatch newBatch(String idempotencyKey, String callbackUrl) {
        return new NewBatch("b-" + UUID.randomUUID(), idempotencyKey, "fp-1", 3, 0.25, callbackUrl, RETENTION);
    }

    protected static ItemResult ok(String batchId, String itemId) {
        return new ItemResult(batchId, new BatchOutcome(itemId, "http://images.test/" + itemId + ".jpg",
                List.of(new Tag("cat", 0.875)), new ModelRef("demo", "1"), null));
    }

    protected static ItemResult failed(String batchId, String itemId, ErrorCode code) {
        return new ItemResult(batchId, BatchOutcome.error(itemId, "http://images.test/" + itemId, code, "it failed"));
    }

    private Batch batch(String id) {
        return store().batch(id).orElseThrow();
    }

    @Test
    void claimCreatesAnAcceptingBatchWithItsOptions() {
        NewBatch b = newBatch(null, "http://hooks.test/done");

        BatchStore.Claim claim = store().claim(b);

        assertTrue(claim.created());
        Batch stored = claim.batch();
        assertEquals(b.batchId(), stored.id());
        assertEquals(BatchState.ACCEPTING, stored.state());
        assertEquals(-1, stored.items());
        assertEquals(3, stored.topK());
        assertEquals(0.25, stored.minScore());
        assertEquals("http://hooks.test/done", stored.callbackUrl());
        assertEquals("fp-1", stored.fingerprint());
        assertTrue(stored.createdAt() > 0);
        assertEquals(1, stored.intakes());
        assertEquals(0, stored.deadlineAt(), "no finishing target asked for");
    }

    @Test
    void aFinishingDeadlineIsKeptWithTheBatch() {
        NewBatch b = new NewBatch("b-" + UUID.randomUUID(), null, "fp-1", null, null, null, RETENTION, 1_800_000_123_456L);

        store().claim(b);

        assertEquals(1_800_000_123_456L, batch(b.batchId()).deadlineAt());
        assertEquals(1_800_000_123_456L, store().open().stream().filter(o -> o.id().equals(b.batchId())).findFirst()
                .orElseThrow().deadlineAt());
    }

    @Test
    void theSameIdempotencyKeyNamesTheFirstBatch() {
        String key = "key-" + UUID.randomUUID();
        NewBatch first = newBatch(key, null);
        store().claim(first);

        BatchStore.Claim again = store().claim(newBatch(key, null));

        assertFalse(again.created());
        assertEquals(first.batchId(), again.batch().id());
    }

    @Test
    void aReusedBatchIdReturnsTheExistingBatch() {
        NewBatch first = newBatch(null, null);
        store().claim(first);

        BatchStore.Claim again = store().claim(new NewBatch(first.batchId(), null, "other", null, null, null,
                RETENTION));

        assertFalse(again.created());
        assertEquals("fp-1", again.batch().fingerprint());
    }

    @Test
    void eachItemGetsOneOutcomeHoweverOftenItIsRecorded() {
        String id = store().claim(newBatch(null, null)).batch().id();

        assertEquals(2, store().record(List.of(ok(id, "a"), failed(id, "b", ErrorCode.ORIGIN_STATUS))));
        assertEquals(0, store().record(List.of(ok(id, "a"), ok(id, "b"))));
        assertEquals(1, store().record(List.of(failed(id, "c", ErrorCode.CANCELLED), failed(id, "c",
                ErrorCode.CANCELLED))));

        Batch b = batch(id);
        assertEquals(1, b.done());
        assertEquals(1, b.failed());
        assertEquals(1, b.cancelled());
        assertEquals(3, store().results(id, null, 100).entries().size());
    }

    @Test
    void outcomesOfAnUnknownBatchAreNotRecorded() {
        assertEquals(0, store().record(List.of(ok("no-such-batch-" + UUID.randomUUID(), "a"))));
    }

    @Test
    void aBatchCompletesWhenItsLastOutcomeArrives() {
        String id = store().claim(newBatch(null, null)).batch().id();
        store().accepted(id, 2);
        assertEquals(BatchState.RUNNING, batch(id).state());
        assertEquals(2, batch(id).pending());

        store().record(List.of(ok(id, "a")));
        assertFalse(batch(id).complete());
        store().record(List.of(failed(id, "b", ErrorCode.NOT_AN_IMAGE)));

        Batch b = batch(id);
        assertEquals(BatchState.FINISHED, b.state());
        assertTrue(b.complete());
        assertEquals(0, b.pending());
    }

    @Test
    void aBatchWhoseOutcomesAllArrivedDuringTheIntakeCompletesWhenAccepted() {
        String id = store().claim(newBatch(null, null)).batch().id();
        store().record(List.of(ok(id, "a"), ok(id, "b")));
        assertFalse(batch(id).complete(), "the total is not known yet");

        store().accepted(id, 2);

        assertEquals(BatchState.FINISHED, batch(id).state());
        assertTrue(batch(id).complete());
    }

    @Test
    void resultsAreReadInOrderAndResumeAfterACursor() {
        String id = store().claim(newBatch(null, null)).batch().id();
        for (int i = 0; i < 5; i++) {
            store().record(List.of(ok(id, "item-" + i)));
        }

        Page first = store().results(id, null, 2);
        Page second = store().results(id, first.next(), 2);
        Page third = store().results(id, second.next(), 2);
        Page empty = store().results(id, third.next(), 2);

        List<String> ids = new ArrayList<>();
        for (Page p : List.of(first, second, third)) {
            p.entries().forEach(e -> ids.add(Json.read(e.json(), BatchOutcome.class).id()));
        }
        assertEquals(List.of("item-0", "item-1", "item-2", "item-3", "item-4"), ids);
        assertEquals(1, third.entries().size());
        assertTrue(empty.entries().isEmpty());
        assertEquals(third.next(), empty.next(), "an empty page keeps the cursor");
        BatchOutcome o = Json.read(first.entries().get(0).json(), BatchOutcome.class);
        assertEquals(List.of(new Tag("cat", 0.875)), o.tags());
        assertEquals(new ModelRef("demo", "1"), o.model());
    }

    @Test
    void cancellingMarksTheBatchAndAFinishedBatchStaysFinished() {
        String running = store().claim(newBatch(null, null)).batch().id();
        store().accepted(running, 10);
        String finished = store().claim(newBatch(null, null)).batch().id();
        store().accepted(finished, 1);
        store().record(List.of(ok(finished, "a")));

        assertEquals(CancelResult.CANCELLED, store().cancel(running));
        assertEquals(CancelResult.CANCELLED, store().cancel(running), "cancelling again is fine");
        assertEquals(CancelResult.ALREADY_FINISHED, store().cancel(finished));
        assertEquals(CancelResult.UNKNOWN, store().cancel("no-such-batch-" + UUID.randomUUID()));

        assertEquals(BatchState.CANCELLED, batch(running).state());
        assertEquals(Set.of(running), store().cancelled(List.of(running, finished, "nope")));
    }

    @Test
    void aCancelledBatchCompletesWhenItsRemainingItemsAreCountedAsCancelled() {
        String id = store().claim(newBatch(null, "http://hooks.test/x")).batch().id();
        store().accepted(id, 2);
        store().record(List.of(ok(id, "a")));
        store().cancel(id);

        store().record(List.of(failed(id, "b", ErrorCode.CANCELLED)));

        Batch b = batch(id);
        assertEquals(BatchState.CANCELLED, b.state());
        assertTrue(b.complete());
        assertEquals(1, b.cancelled());
        assertEquals("pending", b.callbackState(), "the callback is due for cancelled batches too");
    }

    @Test
    void finishedItemsAreTheOnesWithAnOutcome() {
        String id = store().claim(newBatch(null, null)).batch().id();
        store().record(List.of(ok(id, "a"), failed(id, "c", ErrorCode.UNDECODABLE)));

        assertEquals(Set.of("a", "c"), store().finishedItems(id, List.of("a", "b", "c")));
    }

    @Test
    void aFinishedBatchWithACallbackIsClaimedOnceAtATimeUntilSettled() {
        String id = store().claim(newBatch(null, "http://hooks.test/done")).batch().id();
        store().accepted(id, 1);
        store().record(List.of(ok(id, "a")));

        Optional<CallbackClaim> claim = claimFor(id, Duration.ofMinutes(1));
        assertTrue(claim.isPresent());
        assertEquals(1, claim.get().attempt());
        assertTrue(claimFor(id, Duration.ofMinutes(1)).isEmpty(), "leased to the first claimer");

        store().callbackRetry(id, Duration.ZERO, "retrying: HTTP 500");
        Optional<CallbackClaim> again = claimFor(id, Duration.ofMinutes(1));
        assertEquals(2, again.orElseThrow().attempt());
        assertEquals("retrying: HTTP 500", batch(id).callbackState());

        store().callbackSettled(id, "delivered");
        store().callbackRetry("ignored-" + UUID.randomUUID(), Duration.ofDays(1), "x"); // another batch, not due
        assertTrue(claimFor(id, Duration.ZERO).isEmpty());
        assertEquals("delivered", batch(id).callbackState());
    }

    @Test
    void aBatchWithoutCallbackQueuesNone() {
        String id = store().claim(newBatch(null, null)).batch().id();
        store().accepted(id, 1);
        store().record(List.of(ok(id, "a")));

        assertTrue(claimFor(id, Duration.ofMinutes(1)).isEmpty());
        assertNull(batch(id).callbackState());
    }

    @Test
    void onlyAStaleIntakeCanBeTakenOver() {
        String id = store().claim(newBatch(null, null)).batch().id();

        assertFalse(store().takeOverIntake(id, Duration.ofMinutes(1)), "the intake just started");
        assertTrue(store().takeOverIntake(id, Duration.ZERO));
        assertEquals(2, batch(id).intakes());
        store().accepted(id, 0);
        assertFalse(store().takeOverIntake(id, Duration.ZERO), "no longer accepting");
    }

    @Test
    void outcomesGiveTheBatchARate() {
        String id = store().claim(newBatch(null, null)).batch().id();
        List<ItemResult> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(ok(id, "i" + i));
        }
        store().record(items);

        DecayingRate.Snapshot rate = batch(id).rate();
        assertTrue(rate.firstMs() > 0);
        double perSecond = rate.perSecond(rate.atMs(), DecayingRate.TAU_MS);
        assertEquals(20.0, perSecond, 1.0, "20 outcomes within the first second read as ~20/s");
    }

    /** Claims callbacks until this test's batch comes up (other tests' batches may be due too). */
    private Optional<CallbackClaim> claimFor(String id, Duration lease) {
        for (int i = 0; i < 50; i++) {
            Optional<CallbackClaim> c = store().claimCallback(lease);
            if (c.isEmpty() || c.get().batchId().equals(id)) {
                return c;
            }
        }
        return Optional.empty();
    }
}
