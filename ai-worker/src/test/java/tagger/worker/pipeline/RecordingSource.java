package tagger.worker.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import tagger.common.ImageJob;
import tagger.common.TrafficClass;
import tagger.transport.JobDelivery;
import tagger.transport.JobSource;

/**
 * A job source that logs how each delivery was settled ("ack r1", "requeue r1", "deadLetter r1").
 * It either wraps a real source, or is {@linkplain #scripted() scripted}: the test hands over each
 * delivery itself, with any number of previous deliveries.
 */
final class RecordingSource implements JobSource {
    private final JobSource inner;
    private final List<String> settlements = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Consumer<JobDelivery> handler;

    private RecordingSource(JobSource inner) {
        this.inner = inner;
    }

    static RecordingSource wrapping(JobSource inner) {
        return new RecordingSource(inner);
    }

    static RecordingSource scripted() {
        return new RecordingSource(null);
    }

    /** Scripted only: hands a delivery to the pipeline on the caller's thread. */
    void deliver(ImageJob job, int previousDeliveries) {
        handler.accept(new Recorded(new ScriptedDelivery(job, previousDeliveries)));
    }

    List<String> settlements() {
        return List.copyOf(settlements);
    }

    boolean wasStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public void start(int prefetch, Consumer<JobDelivery> handler, TrafficClass... classes) {
        this.handler = handler;
        if (inner != null) {
            inner.start(prefetch, d -> handler.accept(new Recorded(d)), classes);
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
        if (inner != null) {
            inner.stop();
        }
    }

    @Override
    public boolean isReady() {
        return inner == null || inner.isReady();
    }

    @Override
    public void close() {
        if (inner != null) {
            inner.close();
        }
    }

    /** Logs, then passes the settlement on. */
    private final class Recorded implements JobDelivery {
        private final JobDelivery d;

        Recorded(JobDelivery d) {
            this.d = d;
        }

        @Override
        public ImageJob job() {
            return d.job();
        }

        @Override
        public int previousDeliveries() {
            return d.previousDeliveries();
        }

        @Override
        public void ack() {
            settlements.add("ack " + d.job().requestId());
            d.ack();
        }

        @Override
        public void requeue() {
            settlements.add("requeue " + d.job().requestId());
            d.requeue();
        }

        @Override
        public void deadLetter() {
            settlements.add("deadLetter " + d.job().requestId());
            d.deadLetter();
        }
    }

    /** A delivery with nothing behind it: settling only has to be logged. */
    private record ScriptedDelivery(ImageJob job, int previousDeliveries) implements JobDelivery {
        @Override
        public void ack() {
        }

        @Override
        public void requeue() {
        }

        @Override
        public void deadLetter() {
        }
    }
}
