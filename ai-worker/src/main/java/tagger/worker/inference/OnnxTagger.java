package tagger.worker.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.worker.model.InvalidModelException;
import tagger.worker.model.ModelDirectory;
import tagger.worker.model.ModelSpec;
import tagger.imaging.PreprocessSpec;
import tagger.imaging.PreprocessSpec.Layout;

/**
 * A {@link Tagger} backed by one ONNX Runtime session. It owns the session and its options and
 * closes them in {@link #close()}; every tensor and result of a run is closed before {@code run}
 * returns. Not thread-safe, like the interface: one batching thread calls it.
 */
public final class OnnxTagger implements Tagger {
    private static final Logger log = LoggerFactory.getLogger(OnnxTagger.class);

    /**
     * @param intraOpThreads threads ONNX Runtime uses inside one operator; 0 lets it use every core
     */
    public record Options(Device device, int intraOpThreads) {
        public Options {
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = all cores), got " + intraOpThreads);
            }
        }
    }

    private final OrtEnvironment env;
    private final SessionOptions sessionOptions;
    private final OrtSession session;
    private final ModelSpec spec;
    private final ModelSignature signature;
    private final String device;
    private final int labelCount;
    /** Reused when the caller's buffer cannot be handed to ONNX Runtime as is; grows, never shrinks. */
    private FloatBuffer staging;

    private OnnxTagger(OrtEnvironment env, SessionOptions sessionOptions, OrtSession session, ModelDirectory model,
            ModelSignature signature, String device) {
        this.env = env;
        this.sessionOptions = sessionOptions;
        this.session = session;
        this.spec = model.spec();
        this.signature = signature;
        this.device = device;
        this.labelCount = model.labels().size();
    }

    /**
     * Opens {@code model} on the device {@code options} ask for.
     *
     * @throws InvalidModelException when ONNX Runtime cannot load the file or it does not match model.json
     * @throws IllegalStateException when {@code cuda} is demanded and unusable
     */
    public static OnnxTagger open(ModelDirectory model, Options options) {
        return onLargeStack("onnx-session-open", () -> open(model, options, DeviceSelector.GpuProbe.DEVICE_FILES));
    }

    /**
     * Stack size for threads that call into ONNX Runtime. Its graph optimiser recurses deeply while a
     * session is created; on a default 1 MiB Java thread stack that overflowed with a silent SIGSEGV
     * (exit 139, no hs_err file) on JDK 17 here. The memory is reserved, not committed.
     */
    public static final long NATIVE_STACK_BYTES = 64L << 20;

    /** Runs {@code work} on a fresh thread with a {@link #NATIVE_STACK_BYTES} stack and returns its result. */
    static <T> T onLargeStack(String name, java.util.function.Supplier<T> work) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(work.get());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, name, NATIVE_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the model", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    static OnnxTagger open(ModelDirectory model, Options options, DeviceSelector.GpuProbe probe) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SessionOptions so = sessionOptions(options);
        OrtSession session = null;
        try {
            DeviceSelector.Selection selection = DeviceSelector.select(options.device(), probe, so::addCUDA);
            try {
                session = env.createSession(model.modelFile().toString(), so);
            } catch (OrtException e) {
                if (options.device() != Device.AUTO || selection.device().equals("cpu")) {
                    throw unloadable(model, e);
                }
                // the CUDA provider loaded but the session did not start on it (e.g. missing cuDNN): auto means CPU
                selection = new DeviceSelector.Selection("cpu", "device=auto but no session could start on "
                        + selection.device() + ", falling back to CPU: " + e.getMessage(), true);
                so.close();
                so = sessionOptions(options);
                session = createOrFail(env, model, so);
            }
            if (selection.fallback()) {
                log.warn("inference device {}: {}", selection.device(), selection.reason());
            } else {
                log.info("inference device {}: {}", selection.device(), selection.reason());
            }
            ModelSignature signature = ModelSignature.check(model, session.getInputInfo(), session.getOutputInfo());
            log.info("model {} {} loaded from {}: batch {}, {} labels, intra-op threads {}", model.spec().name(),
                    model.spec().version(), model.modelFile(),
                    signature.fixedBatch() > 0 ? "fixed at " + signature.fixedBatch() : "dynamic",
                    model.labels().size(), options.intraOpThreads() > 0 ? options.intraOpThreads() : "all cores");
            return new OnnxTagger(env, so, session, model, signature, selection.device());
        } catch (OrtException e) {
            closeQuietly(session, so);
            throw new IllegalStateException("cannot read the ONNX Runtime session's metadata: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session, so);
            throw e;
        }
    }

    private static SessionOptions sessionOptions(Options options) {
        SessionOptions so = new SessionOptions();
        try {
            so.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            return so;
        } catch (OrtException e) {
            so.close();
            throw new IllegalStateException("cannot configure the ONNX Runtime session: " + e.getMessage(), e);
        }
    }

    private static OrtSession createOrFail(OrtEnvironment env, ModelDirectory model, SessionOptions so) {
        try {
            return env.createSession(model.modelFile().toString(), so);
        } catch (OrtException e) {
            throw unloadable(model, e);
        }
    }

    private static InvalidModelException unloadable(ModelDirectory model, OrtException e) {
        return new InvalidModelException("model " + model.modelFile(),
                List.of(model.spec().file() + ": ONNX Runtime cannot load it: " + e.getMessage()));
    }

    @Override
    public int maxBatchSize() {
        return signature.fixedBatch() > 0 ? signature.fixedBatch() : Integer.MAX_VALUE;
    }

    @Override
    public float[][] run(FloatBuffer input, int n) {
        if (n < 1 || n > maxBatchSize()) {
            throw new IllegalArgumentException("batch of " + n + " images; this model takes 1 to " + maxBatchSize());
        }
        int perImage = spec.input().tensorSize();
        if (input.limit() < n * perImage) {
            throw new IllegalArgumentException("input holds " + input.limit() + " floats, a batch of " + n + " needs "
                    + n * perImage);
        }
        // a model with a fixed batch runs full batches: pad with zero images, drop their rows after
        int rows = signature.fixedBatch() > 0 ? signature.fixedBatch() : n;
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, tensorData(input, n, rows, perImage), shape(rows));
                OrtSession.Result result = session.run(Map.of(spec.input().name(), tensor), Set.of(spec.output().name()))) {
            return rows(result.get(0), n, rows);
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime failed on a batch of " + n + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public void close() {
        closeQuietly(session, sessionOptions);
    }

    /**
     * The caller's buffer itself when ONNX Runtime can read it in place (direct, native byte order,
     * no padding needed): no copy at all. Otherwise one bulk copy into the staging buffer, which
     * is also what ONNX Runtime would do, minus a fresh direct allocation per batch.
     */
    private FloatBuffer tensorData(FloatBuffer input, int n, int rows, int perImage) {
        if (input.isDirect() && input.order() == ByteOrder.nativeOrder() && rows == n) {
            return input.duplicate().position(0).limit(n * perImage);
        }
        int floats = rows * perImage;
        if (staging == null || staging.capacity() < floats) {
            staging = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        staging.clear();
        staging.put(input.duplicate().position(0).limit(n * perImage));
        while (staging.position() < floats) {
            staging.put(0f);
        }
        return staging.flip();
    }

    private long[] shape(int rows) {
        PreprocessSpec in = spec.input().preprocess();
        return in.layout() == Layout.NCHW
                ? new long[] {rows, 3, in.height(), in.width()}
                : new long[] {rows, in.height(), in.width(), 3};
    }

    private float[][] rows(OnnxValue value, int n, int rows) {
        FloatBuffer out = ((OnnxTensor) value).getFloatBuffer();
        if (out.remaining() != rows * labelCount) {
            throw new InferenceException("output \"" + spec.output().name() + "\" has " + out.remaining() + " values for "
                    + rows + " images, expected " + labelCount + " per image (one per label)", null);
        }
        float[][] result = new float[n][labelCount];
        for (float[] row : result) {
            out.get(row);
        }
        return result;
    }

    private static void closeQuietly(OrtSession session, SessionOptions options) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                log.warn("closing the ONNX Runtime session failed: {}", e.getMessage());
            }
        }
        options.close();
    }
}
