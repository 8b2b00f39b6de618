package tagger.transport;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import tagger.common.TagResult;

/** A result listener that records notifications and (re)subscriptions for the test to await. */
public final class RecordingListener implements ResultFeed.Listener {
    private final BlockingQueue<TagResult> results = new LinkedBlockingQueue<>();
    private final Semaphore subscribed = new Semaphore(0);

    @Override
    public void onResult(TagResult result) {
        results.add(result);
    }

    @Override
    public void onSubscribed() {
        subscribed.release();
    }

    /** The next notified result; fails the test when none comes in time. */
    public TagResult next() throws InterruptedException {
        TagResult r = results.poll(RecordingHandler.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(r, "no notification within " + RecordingHandler.WAIT.toMillis() + " ms");
        return r;
    }

    /** Waits for the next (re)subscription. */
    public void awaitSubscribed() throws InterruptedException {
        assertTrue(subscribed.tryAcquire(RecordingHandler.WAIT.toMillis(), TimeUnit.MILLISECONDS),
                "no (re)subscription within " + RecordingHandler.WAIT.toMillis() + " ms");
    }

    public boolean hasPendingResults() {
        return !results.isEmpty();
    }
}
