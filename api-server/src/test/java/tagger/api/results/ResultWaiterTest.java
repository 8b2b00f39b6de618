package tagger.api.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tagger.api.fakes.FakeResultFeed;
import tagger.api.fakes.ManualScheduler;
import tagger.api.fakes.MutableClock;
import tagger.api.fakes.QueuedExecutor;
import tagger.common.ModelRef;
import tagger.common.Tag;
import tagger.common.TagResult;
import tagger.common.Timings;

class ResultWaiterTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final Duration SWEEP_AFTER = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(T0);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final QueuedExecutor completer = new QueuedExecutor();
    private final FakeResultFeed feed = new FakeResultFeed();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ResultWaiter waiter(Duration sweepAfter) {
        ResultWaiter w = new ResultWaiter(feed, scheduler, completer, clock, sweepAfter, registry);
        w.start("api-1");
        return w;
    }

    private static TagResult result(String requestId, String label) {
        return new TagResult(requestId, null, null, List.of(new Tag(label, 0.9)), new ModelRef("m", "1"),
                Timings.NONE, null);
    }

    private double counted(String via) {
        return registry.get("tagger.api.results").tag("via", via).counter().count();
    }

    @Test
    void subscribesToItsOwnInstanceChannel() {
        ResultWaiter w = waiter(SWEEP_AFTER);
        assertEquals("api-1", feed.instanceId());
        assertSame(w, feed.listener());
    }

    @Test
    void aNotifiedResultCompletesTheFutureOnTheCompleter() throws Exception {
        ResultWaiter w = waiter(SWEEP_AFTER);
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 5_000);
        TagResult r = result("r1", "red");

        w.onResult(r);

        assertFalse(f.isDone(), "completed on the caller's (the feed's) thread instead of the completer");
        assertEquals(1, completer.runAll());
        assertSame(r, f.get());
        assertEquals(0, w.waiting());
        assertEquals(1.0, counted("notification"));
    }

    @Test
    void aResultCancelsTheDeadlineSoNothingIsReadBackOrFailedLater() {
        ResultWaiter w = waiter(Duration.ofSeconds(60));
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 5_000);
        w.onResult(result("r1", "red"));
        completer.runAll();

        scheduler.advance(Duration.ofSeconds(10));
        completer.runAll();

        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertEquals(List.of(), feed.fetches());
        assertEquals(0.0, counted("deadline"));
    }

    @Test
    void aDuplicateNotificationIsIgnored() throws Exception {
        ResultWaiter w = waiter(SWEEP_AFTER);
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 5_000);
        TagResult first = result("r1", "red");

        w.onResult(first);
        w.onResult(result("r1", "blue"));

        assertEquals(1, completer.runAll(), "the second notification must not schedule a completion");
        assertSame(first, f.get());
        assertEquals(1.0, counted("notification"));
    }

    @Test
    void aResultForARequestNobodyWaitsForIsIgnored() {
        ResultWaiter w = waiter(SWEEP_AFTER);
        w.onResult(result("someone-else", "red"));
        assertEquals(0, completer.queued());
        assertEquals(0.0, counted("notification"));
    }

    @Test
    void afterSubscribingEveryWaitingRequestIsReadBack() throws Exception {
        ResultWaiter w = waiter(Duration.ofSeconds(60));
        CompletableFuture<TagResult> a = w.expect("a", T0 + 5_000);
        CompletableFuture<TagResult> b = w.expect("b", T0 + 5_000);
        CompletableFuture<TagResult> c = w.expect("c", T0 + 5_000);
        TagResult stored = result("b", "green"); // announced while the subscription was down
        feed.store(stored);

        w.onSubscribed();
        assertEquals(List.of(), feed.fetches(), "read-back must run on the scheduler, not the feed's thread");
        scheduler.runDue();
        completer.runAll();

        assertEquals(1, feed.fetches().size());
        assertEquals(List.of("a", "b", "c"), feed.fetches().get(0).stream().sorted().toList());
        assertSame(stored, b.get());
        assertFalse(a.isDone());
        assertFalse(c.isDone());
        assertEquals(2, w.waiting());
        assertEquals(1.0, counted("read_back"));
    }

    @Test
    void subscribingWithNothingWaitingReadsNothingBack() {
        ResultWaiter w = waiter(SWEEP_AFTER);
        w.onSubscribed();
        scheduler.runDue();
        assertEquals(List.of(), feed.fetches());
        assertEquals(0, w.waiting());
    }

    @Test
    void theSweepReadsBackOnlyRequestsOlderThanSweepAfter() {
        ResultWaiter w = waiter(SWEEP_AFTER); // sweeps every 500 ms
        w.expect("old", T0 + 30_000);
        scheduler.advance(Duration.ofMillis(600));
        w.expect("young", T0 + 30_000);

        scheduler.advance(Duration.ofMillis(400)); // t = 1000: "old" is 1000 ms old, "young" 400 ms

        assertEquals(List.of(List.of("old")), feed.fetches());
        assertEquals(2, w.waiting());
    }

    @Test
    void theSweepRecoversALostNotificationFromTheStore() throws Exception {
        ResultWaiter w = waiter(SWEEP_AFTER);
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 30_000);
        TagResult stored = result("r1", "red");
        feed.store(stored);

        scheduler.advance(Duration.ofMillis(999));
        assertFalse(f.isDone());
        scheduler.advance(Duration.ofMillis(1));
        completer.runAll();

        assertSame(stored, f.get());
        assertEquals(1.0, counted("read_back"));
    }

    @Test
    void atTheDeadlineOneLastReadBackHappensBeforeGivingUp() {
        ResultWaiter w = waiter(Duration.ofSeconds(60)); // no sweep before the deadline
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 2_000);

        scheduler.advance(Duration.ofMillis(1_999));
        assertEquals(List.of(), feed.fetches());
        scheduler.advance(Duration.ofMillis(1));
        assertFalse(f.isDone(), "the failure is delivered on the completer");
        completer.runAll();

        assertEquals(List.of(List.of("r1")), feed.fetches());
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(DeadlineExceededException.class, e.getCause());
        assertEquals("no result within the request deadline (waited 2000 ms after publishing)", e.getCause().getMessage());
        assertEquals(0, w.waiting());
        assertEquals(1.0, counted("deadline"));
    }

    @Test
    void aResultStoredJustBeforeTheDeadlineIsAnsweredInsteadOfATimeout() throws Exception {
        ResultWaiter w = waiter(Duration.ofSeconds(60));
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 2_000);
        scheduler.advance(Duration.ofMillis(1_990));
        TagResult stored = result("r1", "red");
        feed.store(stored);

        scheduler.advance(Duration.ofMillis(10));
        completer.runAll();

        assertSame(stored, f.get());
        assertEquals(0.0, counted("deadline"));
        assertEquals(1.0, counted("read_back"));
    }

    @Test
    void aFailingReadBackAtTheDeadlineStillEndsTheWait() {
        ResultWaiter w = waiter(Duration.ofSeconds(60));
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 1_000);
        feed.failFetchesWith(new IllegalStateException("redis down"));

        scheduler.advance(Duration.ofSeconds(1));
        completer.runAll();

        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(DeadlineExceededException.class, e.getCause());
    }

    @Test
    void aFailingReadBackAfterSubscribingKeepsTheRequestsWaiting() throws Exception {
        ResultWaiter w = waiter(Duration.ofSeconds(60));
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 5_000);
        feed.failFetchesWith(new IllegalStateException("redis down"));

        w.onSubscribed();
        scheduler.runDue();
        assertEquals(1, w.waiting());

        TagResult r = result("r1", "red");
        w.onResult(r);
        completer.runAll();
        assertSame(r, f.get());
    }

    @Test
    void aForgottenRequestIsNeitherCompletedNorReadBackNorTimedOut() {
        ResultWaiter w = waiter(SWEEP_AFTER);
        CompletableFuture<TagResult> f = w.expect("r1", T0 + 2_000);
        feed.store(result("r1", "red"));

        w.forget("r1");
        assertEquals(0, w.waiting());
        w.onResult(result("r1", "red"));
        w.onSubscribed();
        scheduler.advance(Duration.ofSeconds(5));
        completer.runAll();

        assertFalse(f.isDone(), "the caller of forget() completes the future itself");
        assertEquals(List.of(), feed.fetches());
        assertEquals(0.0, counted("deadline") + counted("notification") + counted("read_back"));
    }

    @Test
    void forgettingAnUnknownRequestIsHarmless() {
        ResultWaiter w = waiter(SWEEP_AFTER);
        w.forget("never-expected");
        assertEquals(0, w.waiting());
    }

    @Test
    void aDeadlineAlreadyPassedAtRegistrationEndsTheWaitAtOnce() {
        ResultWaiter w = waiter(Duration.ofSeconds(60));
        CompletableFuture<TagResult> f = w.expect("r1", T0 - 1);

        scheduler.runDue();
        completer.runAll();

        assertTrue(f.isCompletedExceptionally());
        assertEquals(List.of(List.of("r1")), feed.fetches());
        assertEquals(0, w.waiting());
    }

    @Test
    void aDeadlineThatFiresWhileTheRequestIsBeingRegisteredStillEndsTheWait() {
        // regression: expect() scheduled the deadline before registering the request, so a deadline task
        // that ran at once found nothing to expire and the request then waited forever
        ResultWaiter w = waiter(Duration.ofSeconds(60));
        scheduler.runDueTasksEagerly();
        CompletableFuture<TagResult> f = w.expect("r1", T0);

        scheduler.advance(Duration.ofSeconds(120));
        completer.runAll();

        assertTrue(f.isCompletedExceptionally(), "the request was left waiting past its deadline");
        assertEquals(0, w.waiting());
    }

    @Test
    void theWaitingGaugeCountsRequestsBeingWaitedFor() {
        ResultWaiter w = waiter(SWEEP_AFTER);
        w.expect("a", T0 + 5_000);
        w.expect("b", T0 + 5_000);
        assertEquals(2.0, registry.get("tagger.api.waiting").gauge().value());
        w.forget("a");
        assertEquals(1.0, registry.get("tagger.api.waiting").gauge().value());
    }

    @Test
    void futuresAreCompletedOnTheCompleterNeverOnTheFeedsThread() throws Exception {
        ExecutorService realCompleter = Executors.newSingleThreadExecutor(r -> new Thread(r, "completer"));
        try {
            ResultWaiter w = new ResultWaiter(feed, scheduler, realCompleter, clock, SWEEP_AFTER, registry);
            // a dependent stage registered before completion runs on the thread that completes the future
            CompletableFuture<String> notifiedOn = w.expect("r1", T0 + 5_000)
                    .thenApply(r -> Thread.currentThread().getName());
            CompletableFuture<String> readBackOn = w.expect("r2", T0 + 5_000)
                    .thenApply(r -> Thread.currentThread().getName());
            CompletableFuture<String> expiredOn = w.expect("r3", T0 + 1_000)
                    .handle((r, e) -> Thread.currentThread().getName());

            Thread feedThread = new Thread(() -> w.onResult(result("r1", "red")), "feed");
            feedThread.start();
            feedThread.join();
            feed.store(result("r2", "blue"));
            w.onSubscribed();
            scheduler.advance(Duration.ofSeconds(1)); // read-back of r2, deadline of r3, on this thread

            assertEquals("completer", notifiedOn.get(5, TimeUnit.SECONDS));
            assertEquals("completer", readBackOn.get(5, TimeUnit.SECONDS));
            assertEquals("completer", expiredOn.get(5, TimeUnit.SECONDS));
        } finally {
            realCompleter.shutdownNow();
        }
    }

    @Test
    void failAllAnswersEveryWaitingRequestWithTheCauseAndNothingExpiresLater() {
        ResultWaiter w = waiter(SWEEP_AFTER);
        CompletableFuture<TagResult> a = w.expect("r1", T0 + 5_000);
        CompletableFuture<TagResult> b = w.expect("r2", T0 + 5_000);
        tagger.transport.StoreUnavailableException down =
                new tagger.transport.StoreUnavailableException("the result store stopped answering", null);

        w.failAll(down);
        assertEquals(2, completer.runAll());

        assertSame(down, assertThrows(ExecutionException.class, a::get).getCause());
        assertSame(down, assertThrows(ExecutionException.class, b::get).getCause());
        assertEquals(0, w.waiting());
        assertEquals(2.0, counted("store_down"));
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(0.0, counted("deadline"));
    }
}
