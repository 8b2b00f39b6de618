package tagger.transport;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A job handler that keeps every delivery for the test to take and settle. */
public final class RecordingHandler implements Consumer<JobDelivery> {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<JobDelivery> deliveries = new LinkedBlockingQueue<>();

    @Override
    public void accept(JobDelivery delivery) {
        deliveries.add(delivery);
    }

    /** The next delivery; fails the test when none comes within {@link #WAIT}. */
    public JobDelivery next() throws InterruptedException {
        JobDelivery d = deliveries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(d, "no delivery within " + WAIT.toMillis() + " ms");
        return d;
    }

    /** The next delivery if one comes within {@code wait}, else null. */
    public JobDelivery poll(Duration wait) throws InterruptedException {
        return deliveries.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
