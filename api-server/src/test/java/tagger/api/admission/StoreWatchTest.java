package tagger.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreWatchTest {
    private final AtomicBoolean answers = new AtomicBoolean(true);
    private final AtomicInteger failedWaiters = new AtomicInteger();
    private final StoreWatch watch = new StoreWatch(answers::get, Executors.newSingleThreadScheduledExecutor(),
            Duration.ofMillis(250), failedWaiters::incrementAndGet);

    @Test
    void theStoreCountsAsUpUntilAProbeFails() {
        assertTrue(watch.isUp());
        watch.check();
        assertTrue(watch.isUp());
        assertEquals(0, failedWaiters.get());
    }

    @Test
    void everyFailedProbeFailsTheWaitersSoThatLateArrivalsAreCaughtToo() {
        answers.set(false);
        watch.check();
        assertFalse(watch.isUp());
        watch.check();
        assertEquals(2, failedWaiters.get());
    }

    @Test
    void aProbeThatThrowsCountsAsDown() {
        StoreWatch throwing = new StoreWatch(() -> {
            throw new IllegalStateException("pool exhausted");
        }, Executors.newSingleThreadScheduledExecutor(), Duration.ofMillis(250), failedWaiters::incrementAndGet);
        throwing.check();
        assertFalse(throwing.isUp());
        assertEquals(1, failedWaiters.get());
    }

    @Test
    void theFirstAnsweredProbeAfterAnOutageAcceptsAgain() {
        answers.set(false);
        watch.check();
        answers.set(true);
        watch.check();
        assertTrue(watch.isUp());
        assertEquals(1, failedWaiters.get());
    }
}
