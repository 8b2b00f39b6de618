package tagger.launcher.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Results as a subscriber heard them, grouped back into the worker's inference batches, from which
 * the steady-state throughput and inference duty cycle over a window are computed.
 *
 * <p>Why batches: the results of one batch are stored together and arrive within a millisecond, so
 * a window that starts or ends in the middle of one would count images whose work was done outside
 * it. The results of one batch share the batch's inference time (measured once, to the nanosecond)
 * and its size, which identifies the batch; it counts as done when its first result arrives.
 */
final class BatchArrivals {

    /**
     * The worker's counters when a result arrived.
     *
     * @param busySeconds          total time inside inference (the duty cycle's numerator), NaN when unknown
     * @param inferenceCpuSeconds  CPU time of the inference thread, NaN when unknown
     */
    record Snapshot(long nanos, double busySeconds, double inferenceCpuSeconds) {
    }

    /**
     * What happened between two batch completions.
     *
     * @param inferenceMs  mean per batch of the worker's own inference time (session.run plus postprocessing)
     * @param preprocessMs mean per image of the worker's decode + resize time
     */
    record Window(int images, int batches, long nanos, double busySeconds, double inferenceCpuSeconds,
            double inferenceMs, double preprocessMs) {
        double imagesPerSecond() {
            return images / (nanos / 1e9);
        }

        /** Share of the window the worker spent inside inference ({@code session.run}). */
        double dutyCycle() {
            return busySeconds / (nanos / 1e9);
        }

        /** Share of the window the inference thread was running on a CPU (below the duty cycle: it waited for one). */
        double inferenceCpuShare() {
            return inferenceCpuSeconds / (nanos / 1e9);
        }
    }

    private record Key(double inferenceMs, int batchSize) {
    }

    private static final class Batch {
        final Snapshot arrived;
        final double inferenceMs;
        final int size;
        int seen;
        double preprocessMs;

        Batch(Snapshot arrived, double inferenceMs, int size) {
            this.arrived = arrived;
            this.inferenceMs = inferenceMs;
            this.size = size;
        }
    }

    private final List<Batch> batches = new ArrayList<>();
    private final Map<Key, Batch> open = new HashMap<>();
    private int results;
    private int failures;
    private String firstFailure;

    /** Records one result: when it arrived, and its timings' inference, preprocess and batch size. */
    synchronized void add(Snapshot arrived, double inferenceMs, double preprocessMs, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        results++;
        Key key = new Key(inferenceMs, batchSize);
        Batch batch = open.get(key);
        if (batch == null) {
            batch = new Batch(arrived, inferenceMs, batchSize);
            batches.add(batch);
            open.put(key, batch);
        }
        batch.preprocessMs += preprocessMs;
        if (++batch.seen == batch.size) {
            open.remove(key); // complete: an equal key later is another batch
        }
    }

    /** Records a result that carries an error instead of tags. */
    synchronized void failed(String message) {
        results++;
        if (failures++ == 0) {
            firstFailure = message;
        }
    }

    synchronized int results() {
        return results;
    }

    synchronized int failures() {
        return failures;
    }

    synchronized String firstFailure() {
        return firstFailure;
    }

    /**
     * The window from the completion of the batch that finished the first {@code skipImages} images
     * (warm-up) to the completion of the last batch: the images of the batches after the first one,
     * the time between, and the inference time the worker spent meanwhile.
     *
     * @throws IllegalStateException when fewer than two batches lie in that range
     */
    synchronized Window after(int skipImages) {
        int start = 0;
        int done = batches.isEmpty() ? 0 : batches.get(0).size;
        while (done < skipImages && start < batches.size() - 1) {
            start++;
            done += batches.get(start).size;
        }
        int last = batches.size() - 1;
        if (last <= start) {
            throw new IllegalStateException("need at least two batches after the first " + skipImages
                    + " images to measure a rate, got " + batches.size() + " batches in all");
        }
        int images = 0;
        double inferenceMs = 0;
        double preprocessMs = 0;
        for (int i = start + 1; i <= last; i++) {
            Batch b = batches.get(i);
            images += b.size;
            inferenceMs += b.inferenceMs;
            preprocessMs += b.preprocessMs;
        }
        Snapshot first = batches.get(start).arrived;
        Snapshot end = batches.get(last).arrived;
        return new Window(images, last - start, end.nanos() - first.nanos(), end.busySeconds() - first.busySeconds(),
                end.inferenceCpuSeconds() - first.inferenceCpuSeconds(), inferenceMs / (last - start),
                preprocessMs / images);
    }
}
