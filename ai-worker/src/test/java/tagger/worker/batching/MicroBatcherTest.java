package tagger.worker.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    private static final long MS = 1_000_000L;

    private static List<String> items(List<MicroBatcher.Batched<String>> batch) {
        return batch.stream().map(MicroBatcher.Batched::item).toList();
    }

    @Test
    void aLoneItemRunsAtOnceWhenNothingElseIsOnItsWay() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 10_000 * MS, System::nanoTime);
        batcher.expect();
        batcher.offer("a");
        long start = System.nanoTime();
        assertEquals(List.of("a"), items(batcher.next(1000)));
        // the 10 s wait budget was not used: nobody else was expected
        assertTrue(System.nanoTime() - start < 5_000 * MS);
    }

    /**
     * Regression: offer() made the item visible before it stopped counting as "on its way", so a
     * consumer woken by it (on a busy machine it often preempts the offering thread right there) saw
     * the one expected item both ready and still coming, and waited 1 ms polls for it: every idle
     * request spent about 1.1 ms in batch wait. The consumer reads the clock only to size a wait for
     * batch mates, so here it must never read it.
     */
    @Test
    void aConsumerWokenByALoneOfferNeverConsidersWaitingForMates() throws Exception {
        AtomicInteger consumerClockReads = new AtomicInteger();
        Thread[] consumer = new Thread[1];
        MicroBatcher<Integer> batcher = new MicroBatcher<>(8, 10_000 * MS, () -> {
            if (Thread.currentThread() == consumer[0]) {
                consumerClockReads.incrementAndGet();
            }
            return System.nanoTime();
        });
        BlockingQueue<List<Integer>> batches = new LinkedBlockingQueue<>();
        consumer[0] = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<MicroBatcher.Batched<Integer>> b = batcher.next(10_000);
                    batches.add(b.stream().map(MicroBatcher.Batched::item).toList());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-consumer");
        consumer[0].start();
        try {
            for (int i = 0; i < 200; i++) {
                while (consumer[0].getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait(); // offer while the consumer sleeps, so the offer is what wakes it
                }
                batcher.expect();
                batcher.offer(i);
                assertEquals(List.of(i), batches.take());
            }
        } finally {
            consumer[0].interrupt();
            consumer[0].join();
        }
        assertEquals(0, consumerClockReads.get(), "times the consumer sized a wait for batch mates nobody sent");
    }

    @Test
    void readyItemsAreTakenUpToTheMaximumInArrivalOrder() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(3, 0, System::nanoTime);
        for (String s : List.of("a", "b", "c", "d", "e")) {
            batcher.expect();
            batcher.offer(s);
        }
        assertEquals(List.of("a", "b", "c"), items(batcher.next(1000)));
        assertEquals(List.of("d", "e"), items(batcher.next(1000)));
    }

    @Test
    void anItemOnItsWayIsWaitedForWithinTheBudget() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 5_000 * MS, System::nanoTime);
        batcher.expect();
        batcher.expect();
        batcher.offer("first");
        Thread late = new Thread(() -> {
            sleep(50);
            batcher.offer("second");
        });
        late.start();
        assertEquals(List.of("first", "second"), items(batcher.next(1000)));
        late.join();
    }

    @Test
    void aCancelledItemStopsTheWait() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 60_000 * MS, System::nanoTime);
        batcher.expect();
        batcher.expect();
        batcher.offer("first");
        Thread cancel = new Thread(() -> {
            sleep(50);
            batcher.cancelExpected();
        });
        cancel.start();
        long start = System.nanoTime();
        assertEquals(List.of("first"), items(batcher.next(1000)));
        assertTrue(System.nanoTime() - start < 30_000 * MS, "did not wait the whole 60 s budget");
        cancel.join();
    }

    @Test
    void theWaitBudgetCountsFromWhenTheOldestItemBecameReady() throws Exception {
        AtomicLong now = new AtomicLong(0);
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 10 * MS, now::get);
        batcher.expect();
        batcher.expect(); // a second one is on its way but never comes
        batcher.offer("old");
        now.set(11 * MS); // the oldest item already waited longer than the budget
        assertEquals(List.of("old"), items(batcher.next(1000)));
    }

    @Test
    void urgentItemsAreTakenBeforeOtherItemsThatWereReadyEarlier() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(3, 0, System::nanoTime, s -> s.startsWith("rt"), 3);
        for (String s : List.of("bulk-1", "bulk-2", "bulk-3", "bulk-4", "rt-1", "rt-2")) {
            batcher.expect();
            batcher.offer(s);
        }

        assertEquals(List.of("rt-1", "rt-2", "bulk-1"), items(batcher.next(1000)),
                "real-time first, in order, then bulk tops the batch up");
        assertEquals(List.of("bulk-2", "bulk-3", "bulk-4"), items(batcher.next(1000)));
    }

    @Test
    void anUrgentItemNeverWaitsBehindAFullBacklogOfOthers() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(2, 0, System::nanoTime, s -> s.startsWith("rt"), 2);
        for (int i = 0; i < 100; i++) {
            batcher.expect();
            batcher.offer("bulk-" + i);
        }
        batcher.expect();
        batcher.offer("rt");

        assertEquals("rt", items(batcher.next(1000)).get(0));
        assertEquals(99, batcher.readyCount());
    }

    @Test
    void aBatchWaitingForItemsOnTheirWayTakesAnUrgentOneThatArrives() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 5_000 * MS, System::nanoTime, s -> s.startsWith("rt"), 8);
        batcher.expect();
        batcher.expect();
        batcher.offer("bulk-1");
        Thread late = new Thread(() -> {
            sleep(50);
            batcher.offer("rt");
        });
        late.start();

        assertEquals(List.of("bulk-1", "rt"), items(batcher.next(1000)));
        late.join();
    }

    /** Regression: a real-time image joined a gathering bulk batch, sharing inference with up to 15 bulk images. */
    @Test
    void anUrgentItemReadyWhileOthersGatherBeyondTheTopUpLeadsTheNextBatchInstead() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 5_000 * MS, System::nanoTime, s -> s.startsWith("rt"), 0);
        batcher.expect(false);
        batcher.expect(false); // a second bulk image still decoding: the bulk batch waits for it
        batcher.expect(true);
        batcher.offer("bulk-1");
        Thread late = new Thread(() -> {
            while (batcher.readyCount() > 0) { // next() has taken bulk-1 and is gathering
                sleep(1);
            }
            batcher.offer("rt");
        });
        late.start();

        assertEquals(List.of("bulk-1"), items(batcher.next(1000)), "the bulk batch ran without the real-time image");
        assertEquals(List.of("rt"), items(batcher.next(1000)));
        late.join();
    }

    @Test
    void aBatchHoldingAnUrgentItemDoesNotWaitForOtherItemsOnTheirWay() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 60_000 * MS, System::nanoTime, s -> s.startsWith("rt"), 8);
        batcher.expect(false); // a bulk image still decoding
        batcher.expect(true);
        batcher.offer("rt");
        long start = System.nanoTime();

        assertEquals(List.of("rt"), items(batcher.next(1000)));
        assertTrue(System.nanoTime() - start < 30_000 * MS, "did not wait for the bulk image");
    }

    @Test
    void aBatchHoldingAnUrgentItemStillWaitsForUrgentItemsOnTheirWay() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 5_000 * MS, System::nanoTime, s -> s.startsWith("rt"), 8);
        batcher.expect(true);
        batcher.expect(true);
        batcher.offer("rt-1");
        Thread late = new Thread(() -> {
            sleep(50);
            batcher.offer("rt-2");
        });
        late.start();

        assertEquals(List.of("rt-1", "rt-2"), items(batcher.next(1000)));
        late.join();
    }

    @Test
    void aBatchHoldingUrgentItemsTakesAtMostTheTopUpOfOthers() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, 0, System::nanoTime, s -> s.startsWith("rt"), 1);
        for (String s : List.of("bulk-1", "bulk-2", "bulk-3", "rt-1", "rt-2")) {
            batcher.expect(s.startsWith("rt"));
            batcher.offer(s);
        }

        assertEquals(List.of("rt-1", "rt-2", "bulk-1"), items(batcher.next(1000)));
        assertEquals(List.of("bulk-2", "bulk-3"), items(batcher.next(1000)), "a bulk batch fills up as before");
    }

    @Test
    void nextReturnsEmptyWhenIdle() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(8, MS, System::nanoTime);
        assertEquals(List.of(), batcher.next(10));
    }

    @Test
    void invalidSettingsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MicroBatcher<String>(0, 0, System::nanoTime));
        assertEquals("maxBatch must be >= 1, got 0", e.getMessage());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
