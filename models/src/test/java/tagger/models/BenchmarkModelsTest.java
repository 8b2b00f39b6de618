package tagger.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkModelsTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** Two normalised random images, roughly what ImageNet preprocessing yields. */
    static FloatBuffer twoImages() {
        Random r = new Random(7);
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        int plane = BenchmarkModels.SIZE * BenchmarkModels.SIZE;
        FloatBuffer buf = FloatBuffer.allocate(2 * 3 * plane);
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    buf.put((r.nextInt(256) / 255f - mean[c]) / std[c]);
                }
            }
        }
        return buf.flip();
    }

    static float[][] runTwo(Path dir) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = ENV.createSession(dir.resolve("model.onnx").toString(), options)) {
            assertArrayEquals(new long[] {-1, 3, 224, 224}, ((TensorInfo) session.getInputInfo().get("input").getInfo()).getShape());
            assertArrayEquals(new long[] {-1, 1000}, ((TensorInfo) session.getOutputInfo().get("output").getInfo()).getShape());
            try (OnnxTensor t = OnnxTensor.createTensor(ENV, twoImages(), new long[] {2, 3, 224, 224});
                    OrtSession.Result r = session.run(Map.of("input", t))) {
                return (float[][]) r.get(0).getValue();
            }
        }
    }

    static void assertFiniteAndVaried(float[][] logits) {
        assertEquals(2, logits.length);
        for (float[] row : logits) {
            assertEquals(1000, row.length);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : row) {
                assertTrue(Float.isFinite(v), "logit " + v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            // not collapsed to a constant, not exploded: a softmax over them is neither flat nor one-hot garbage
            assertTrue(max - min > 1e-3 && max - min < 100, "logit spread " + (max - min));
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void mobileNetV2ShapedGraphHasMobileNetSizeAndRunsABatchOfTwo(@TempDir Path dir) throws OrtException {
        GeneratedModel model = BenchmarkModels.write(BenchmarkModels.Kind.MOBILENETV2, dir);
        assertTrue(model.parameters() > 3_400_000 && model.parameters() < 3_600_000, "parameters " + model.parameters());
        assertFiniteAndVaried(runTwo(dir));
    }

    @Test
    void int8GraphApproximatesTheFloatGraphItWasQuantisedFrom(@TempDir Path dir) throws OrtException {
        BenchmarkModels.write(BenchmarkModels.Kind.MOBILENETV2, dir.resolve("float"));
        BenchmarkModels.write(BenchmarkModels.Kind.MOBILENETV2_INT8, dir.resolve("int8"));
        float[][] f = runTwo(dir.resolve("float"));
        float[][] q = runTwo(dir.resolve("int8"));
        assertFiniteAndVaried(q);
        float[] df = new float[1000];
        float[] dq = new float[1000];
        for (int i = 0; i < 1000; i++) {
            df[i] = f[0][i] - f[1][i];
            dq[i] = q[0][i] - q[1][i];
        }
        // compare what the input changes, not the input-independent part both share (raw cosine is ~0.9998)
        assertTrue(cosine(df, dq) > 0.9, "cosine of image-to-image differences " + cosine(df, dq));
    }

    @Test
    void resNet50ShapedGraphHasResNetSizeAndRunsABatchOfTwo(@TempDir Path dir) throws OrtException {
        GeneratedModel model = BenchmarkModels.write(BenchmarkModels.Kind.RESNET50, dir);
        assertTrue(model.parameters() > 25_000_000 && model.parameters() < 26_000_000, "parameters " + model.parameters());
        assertFiniteAndVaried(runTwo(dir));
    }
}
