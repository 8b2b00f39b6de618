package tagger.launcher.bench;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import tagger.worker.batching.TensorPool;
import tagger.worker.inference.Device;
import tagger.worker.inference.OnnxTagger;
import tagger.worker.model.ModelDirectory;
import tagger.imaging.Preprocessor;
import tagger.imaging.UndecodableImageException;

/**
 * Raw ONNX Runtime throughput: one session opened exactly as the worker opens its own (CPU, the
 * same intra-op threads), a batch buffer filled once by the real preprocessor, and nothing but
 * {@code run} inside the timed loop. The ceiling the worker is compared against.
 */
final class RawThroughput implements AutoCloseable {
    private static final long MAX_DECODE_PIXELS = 50_000_000;

    private final OnnxTagger tagger;
    private final Preprocessor preprocessor;

    RawThroughput(ModelDirectory model, int intraOpThreads) {
        this(model, intraOpThreads, Device.CPU);
    }

    RawThroughput(ModelDirectory model, int intraOpThreads, Device device) {
        this.tagger = OnnxTagger.open(model, new OnnxTagger.Options(device, intraOpThreads));
        this.preprocessor = new Preprocessor(model.spec().input().preprocess(), MAX_DECODE_PIXELS);
    }

    /**
     * The rate and how much of the timed span the calling thread was on a CPU.
     *
     * @param cpuShare CPU time of the inference thread / wall time (NaN when the JVM cannot tell)
     */
    record Result(double imagesPerSecond, double cpuShare) {
    }

    /**
     * Images per second over {@code timedRuns} calls of batch size {@code batch}, after
     * {@code warmupRuns} untimed ones. Runs on a thread with the worker's inference-thread stack.
     */
    Result measure(int batch, List<byte[]> images, int warmupRuns, int timedRuns) {
        FloatBuffer buffer = fill(batch, images);
        AtomicReference<Result> rate = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                for (int i = 0; i < warmupRuns; i++) {
                    tagger.run(buffer, batch);
                }
                ThreadCpu cpu = ThreadCpu.current();
                double cpuStart = cpu == null ? Double.NaN : cpu.seconds();
                long start = System.nanoTime();
                for (int i = 0; i < timedRuns; i++) {
                    tagger.run(buffer, batch);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = cpu == null ? Double.NaN : cpu.seconds() - cpuStart;
                rate.set(new Result(timedRuns * batch / seconds, cpuSeconds / seconds));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "bench-raw-inference", OnnxTagger.NATIVE_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring raw throughput", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return rate.get();
    }

    /** {@code batch} different images, preprocessed back to back like the worker's batch buffer. */
    private FloatBuffer fill(int batch, List<byte[]> images) {
        int size = preprocessor.tensorSize();
        FloatBuffer buffer = TensorPool.allocate(batch * size);
        for (int i = 0; i < batch; i++) {
            try {
                preprocessor.preprocess(images.get(i % images.size()), "image/jpeg", buffer, i * size);
            } catch (UndecodableImageException e) {
                throw new IllegalStateException("a generated benchmark image did not decode: " + e.getMessage(), e);
            }
        }
        return buffer.limit(batch * size).position(0);
    }

    @Override
    public void close() {
        tagger.close();
    }
}
