package tagger.worker.pipeline;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tagger.worker.inference.InferenceException;
import tagger.worker.inference.Tagger;

/**
 * A model stand-in for solid-colour test images. It recognises each image in a batch by its red
 * value (the first float of its tensor, × 255) and answers with one high logit at label index
 * {@code red % labels}, so every result shows which image it was computed from. It records every
 * call, can fail any call holding a given image, and can hold a call open until the test lets go.
 */
final class FakeTagger implements Tagger {
    private final int tensorSize;
    private final int labels;
    private final int maxBatchSize;
    private final List<List<Integer>> calls = new ArrayList<>();
    private final Set<Integer> poison = ConcurrentHashMap.newKeySet();
    private final Set<Integer> nanFor = ConcurrentHashMap.newKeySet();
    private volatile Integer unexpectedFailureFor;
    private volatile Integer holdFor;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean closed;

    FakeTagger(int tensorSize, int labels, int maxBatchSize) {
        this.tensorSize = tensorSize;
        this.labels = labels;
        this.maxBatchSize = maxBatchSize;
    }

    /** Every call holding the image with this red value throws {@link InferenceException}. */
    void failOn(int red) {
        poison.add(red);
    }

    /** The image with this red value gets a NaN output row, as a numerically broken model would give. */
    void nanOn(int red) {
        nanFor.add(red);
    }

    /** Every call holding this image throws an exception outside the {@link Tagger} contract. */
    void failUnexpectedlyOn(int red) {
        unexpectedFailureFor = red;
    }

    /** The first call holding this image blocks until {@link #release()}. */
    void holdOn(int red) {
        holdFor = red;
    }

    void awaitHeld() throws InterruptedException {
        if (!held.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("no inference call held the image with red " + holdFor);
        }
    }

    void release() {
        released.countDown();
    }

    /** The images of each call so far, by red value, in call order. */
    synchronized List<List<Integer>> calls() {
        return List.copyOf(calls);
    }

    /** How many calls held the image with this red value. */
    synchronized long callsWith(int red) {
        return calls.stream().filter(c -> c.contains(red)).count();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public float[][] run(FloatBuffer input, int n) {
        if (n < 1 || n > maxBatchSize || input.limit() < n * tensorSize) {
            throw new AssertionError("batch of " + n + " in a buffer of " + input.limit() + " floats");
        }
        List<Integer> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            images.add(Math.round(input.get(i * tensorSize) * 255));
        }
        synchronized (this) {
            calls.add(List.copyOf(images));
        }
        if (holdFor != null && images.contains(holdFor) && held.getCount() > 0) {
            held.countDown();
            try {
                released.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int red : images) {
            if (poison.contains(red)) {
                throw new InferenceException("kernel crashed on a batch of " + n, null);
            }
            if (unexpectedFailureFor != null && unexpectedFailureFor == red) {
                throw new IllegalStateException("native session is in a bad state");
            }
        }
        float[][] rows = new float[n][labels];
        for (int i = 0; i < n; i++) {
            int red = images.get(i);
            for (int k = 0; k < labels; k++) {
                rows[i][k] = nanFor.contains(red) ? Float.NaN : k == red % labels ? 10f : -10f;
            }
        }
        return rows;
    }

    @Override
    public String device() {
        return "fake";
    }

    @Override
    public void close() {
        closed = true;
    }
}
