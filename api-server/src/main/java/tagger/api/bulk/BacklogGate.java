package tagger.api.bulk;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.transport.QueueProbe;

/**
 * Flow control for bulk work: bulk downloads start only while the bulk image queue holds fewer ready
 * jobs than {@code perWorker} × its consumers (at least {@code perWorker}), so the broker carries a
 * few batches' worth of images, not a whole migration. The depths are probed every
 * {@link #PROBE_MS} ms; when the broker cannot be asked, the gate closes.
 */
final class BacklogGate implements AutoCloseable {
    static final long PROBE_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(BacklogGate.class);

    private final QueueProbe probe;
    private final String imageQueue;
    private final String urlQueue;
    private final int perWorker;
    private volatile boolean open;
    private volatile long images = -1;
    private volatile long urls = -1;
    private volatile String lastFailure;
    private ScheduledExecutorService timer;

    BacklogGate(QueueProbe probe, String imageQueue, String urlQueue, int perWorker) {
        this.probe = probe;
        this.imageQueue = imageQueue;
        this.urlQueue = urlQueue;
        this.perWorker = perWorker;
    }

    void start(ScheduledExecutorService timer) {
        this.timer = timer;
        timer.scheduleWithFixedDelay(this::probe, 0, PROBE_MS, TimeUnit.MILLISECONDS);
    }

    /** Reads the depths once and opens or closes the gate. */
    void probe() {
        try {
            QueueProbe.Depth image = probe.depth(imageQueue);
            QueueProbe.Depth url = probe.depth(urlQueue);
            images = image.ready();
            urls = url.ready();
            open = image.ready() < target(image.consumers());
            lastFailure = null;
        } catch (RuntimeException e) {
            open = false;
            if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                log.warn("bulk downloads paused: cannot read the queue depths: {}", e.getMessage());
            }
            lastFailure = String.valueOf(e.getMessage());
        }
    }

    /** Ready bulk image jobs above which downloading pauses. */
    int target(int consumers) {
        return perWorker * Math.max(1, consumers);
    }

    boolean isOpen() {
        return open;
    }

    /** Bulk image jobs ready in the broker at the last probe, -1 before the first. */
    long imageBacklog() {
        return images;
    }

    /** Bulk items waiting to be downloaded at the last probe, -1 before the first. */
    long urlBacklog() {
        return urls;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
