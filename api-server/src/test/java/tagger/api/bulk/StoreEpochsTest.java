package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import tagger.api.fakes.MutableClock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tagger.transport.BatchStore;

class StoreEpochsTest {
    private final AtomicReference<String> epoch = new AtomicReference<>("e1");
    private final AtomicInteger reads = new AtomicInteger();
    /** A store that only knows its epoch: all StoreEpochs asks of it. */
    private final BatchStore store = (BatchStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BatchStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("epoch")) {
                    reads.incrementAndGet();
                    return epoch.get();
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final StoreEpochs epochs = new StoreEpochs(store, Duration.ofDays(7), clock);

    @Test
    void aBatchAcceptedUnderAnEarlierEpochIsLostNamingBothEpochs() {
        epochs.accepted("b-1", epochs.current());
        epoch.set("e2");
        StoreEpochs.Lost lost = epochs.lost("b-1").orElseThrow();
        assertEquals("e1", lost.acceptedEpoch());
        assertEquals("e2", lost.currentEpoch());
        assertTrue(lost.message().contains("the result store lost its data since (store epoch e1 when accepted, now e2"),
                lost.message());
    }

    @Test
    void aBatchMissingUnderTheSameEpochExpiredAndStaysUnknownAfterALaterLoss() {
        epochs.accepted("b-1", "e1");
        assertTrue(epochs.lost("b-1").isEmpty());
        epoch.set("e2");
        assertTrue(epochs.lost("b-1").isEmpty(), "forgotten once seen expired");
    }

    @Test
    void aBatchThisServerNeverAcceptedIsNeverLostAndCostsNoRead() {
        epoch.set("e2");
        assertTrue(epochs.lost("b-unknown").isEmpty());
        assertEquals(0, reads.get());
    }

    @Test
    void onlyTheNewestBatchesAreRemembered() {
        for (int i = 0; i <= StoreEpochs.MAX_ENTRIES; i++) {
            epochs.accepted("b-" + i, "e1");
        }
        epoch.set("e2");
        assertTrue(epochs.lost("b-0").isEmpty(), "the oldest was evicted");
        assertTrue(epochs.lost("b-" + StoreEpochs.MAX_ENTRIES).isPresent());
    }

    @Test
    void aGeneratedIdTellsAnyServerThatItsBatchWasLost() {
        String id = BatchIds.generate("e1", clock.millis());
        epoch.set("e2");
        clock.advance(Duration.ofDays(6));
        StoreEpochs.Lost lost = epochs.lost(id).orElseThrow(); // this server never saw the batch
        assertEquals(String.format("#%08x", "e1".hashCode()), lost.acceptedEpoch());
        assertEquals(String.format("#%08x", "e2".hashCode()), lost.currentEpoch());
    }

    @Test
    void aGeneratedIdOfTheCurrentEpochOrPastItsRetentionIsNotLost() {
        String id = BatchIds.generate("e1", clock.millis());
        assertTrue(epochs.lost(id).isEmpty(), "same epoch: expired or deleted");
        epoch.set("e2");
        clock.advance(Duration.ofDays(7));
        assertTrue(epochs.lost(id).isEmpty(), "past its retention it may have expired before the loss");
    }
}
