package tagger.imaging;

import static java.awt.image.BufferedImage.TYPE_3BYTE_BGR;
import static java.awt.image.BufferedImage.TYPE_4BYTE_ABGR;
import static java.awt.image.BufferedImage.TYPE_BYTE_GRAY;
import static java.awt.image.BufferedImage.TYPE_INT_BGR;
import static java.awt.image.BufferedImage.TYPE_INT_RGB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tagger.imaging.PreprocessSpec.Resize.SHORTER_SIDE_THEN_CENTER_CROP;
import static tagger.imaging.PreprocessSpec.Resize.STRETCH;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

class TensorWriterTest {

    private static final double TOLERANCE = 1e-4;

    /** Odd sizes on purpose: crops with odd margins, extreme aspect ratios, upscaling. */
    static Stream<Arguments> geometries() {
        List<Arguments> cases = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            for (ColorOrder order : ColorOrder.values()) {
                cases.add(Arguments.of(333, 177, SHORTER_SIDE_THEN_CENTER_CROP, 224, 224, 256, layout, order));
                cases.add(Arguments.of(177, 333, SHORTER_SIDE_THEN_CENTER_CROP, 224, 224, 256, layout, order));
                cases.add(Arguments.of(17, 300, STRETCH, 32, 40, 0, layout, order));
                cases.add(Arguments.of(10, 10, STRETCH, 64, 64, 0, layout, order));
                cases.add(Arguments.of(101, 67, SHORTER_SIDE_THEN_CENTER_CROP, 48, 30, 49, layout, order));
                cases.add(Arguments.of(1, 1, STRETCH, 5, 3, 0, layout, order));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}x{1} {2} to {3}x{4} ({5}) {6} {7}")
    @MethodSource("geometries")
    void optimisedPathMatchesTheReferenceOnNoiseAndGradientsAtEveryOffset(
            int w, int h, Resize resize, int outW, int outH, int shorterSide, Layout layout, ColorOrder order)
            throws Exception {
        PreprocessSpec in = TestImages.input(layout, order, resize, outW, outH, shorterSide);
        TensorWriter writer = new TensorWriter(in);
        for (BufferedImage img : List.of(TestImages.noise(w, h, TYPE_3BYTE_BGR, 1), TestImages.gradient(w, h, TYPE_3BYTE_BGR))) {
            float[] expected = ReferencePreprocessing.tensor(img, in);
            for (int offset : new int[] {0, 7, writer.tensorSize()}) {
                FloatBuffer batch = FloatBuffer.allocate(offset + writer.tensorSize() + 5);
                fill(batch, Float.NaN);
                writer.write(SampleExtractor.extract(img, "test"), batch, offset);
                assertMatches(expected, batch, offset, w + "x" + h + " at offset " + offset);
            }
        }
    }

    @Test
    void everyDirectlyReadAndConvertedRasterTypeGivesTheReferenceResult() throws Exception {
        PreprocessSpec in = TestImages.input(Layout.NCHW, ColorOrder.RGB, SHORTER_SIDE_THEN_CENTER_CROP, 24, 24, 30);
        TensorWriter writer = new TensorWriter(in);
        for (int type : new int[] {TYPE_3BYTE_BGR, TYPE_BYTE_GRAY, TYPE_4BYTE_ABGR, TYPE_INT_RGB, TYPE_INT_BGR,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_USHORT_565_RGB}) {
            BufferedImage img = TestImages.noise(61, 43, type, type);
            float[] expected = ReferencePreprocessing.tensor(img, in);
            FloatBuffer batch = FloatBuffer.allocate(writer.tensorSize());
            writer.write(SampleExtractor.extract(img, "test"), batch, 0);
            assertMatches(expected, batch, 0, "image type " + type);
        }
    }

    @Test
    void aSubimageIsReadFromItsOwnCornerOfTheSharedRaster() throws Exception {
        PreprocessSpec in = TestImages.input(Layout.NHWC, ColorOrder.BGR, STRETCH, 16, 12, 0);
        TensorWriter writer = new TensorWriter(in);
        BufferedImage parent = TestImages.noise(90, 70, TYPE_3BYTE_BGR, 3);
        BufferedImage child = parent.getSubimage(13, 21, 40, 30);
        float[] expected = ReferencePreprocessing.tensor(child, in);
        FloatBuffer batch = FloatBuffer.allocate(writer.tensorSize());
        writer.write(SampleExtractor.extract(child, "test"), batch, 0);
        assertMatches(expected, batch, 0, "subimage");
    }

    @Test
    void writesIntoADirectBufferAsIntoAHeapBuffer() throws Exception {
        PreprocessSpec in = TestImages.input(Layout.NCHW, ColorOrder.RGB, SHORTER_SIDE_THEN_CENTER_CROP, 32, 32, 36);
        TensorWriter writer = new TensorWriter(in);
        BufferedImage img = TestImages.noise(50, 40, TYPE_3BYTE_BGR, 4);
        FloatBuffer direct = ByteBuffer.allocateDirect(8 * writer.tensorSize()).order(ByteOrder.nativeOrder()).asFloatBuffer();
        fill(direct, Float.NaN);
        writer.write(SampleExtractor.extract(img, "test"), direct, writer.tensorSize());
        assertMatches(ReferencePreprocessing.tensor(img, in), direct, writer.tensorSize(), "direct buffer");
        assertEquals(0, direct.position(), "absolute puts leave the position alone");
    }

    @Test
    void aTensorThatDoesNotFitTheBufferIsRefusedBeforeAnythingIsWritten() throws Exception {
        PreprocessSpec in = TestImages.input(Layout.NCHW, ColorOrder.RGB, STRETCH, 4, 4, 0);
        TensorWriter writer = new TensorWriter(in);
        FloatBuffer batch = FloatBuffer.allocate(60);
        fill(batch, -1f);
        DecodedImage.Samples samples = SampleExtractor.extract(TestImages.noise(8, 8, TYPE_3BYTE_BGR, 5), "test");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> writer.write(samples, batch, 20));
        assertEquals("image tensor at offset 20 needs floats up to 68, buffer limit is 60", e.getMessage());
        for (int i = 0; i < 60; i++) {
            assertEquals(-1f, batch.get(i));
        }
    }

    @Test
    void anInvalidInputDescriptionIsRejectedWithEveryProblemNamed() {
        PreprocessSpec bad = new PreprocessSpec(Layout.NCHW, 224, 224, ColorOrder.RGB,
                SHORTER_SIDE_THEN_CENTER_CROP, 200, 1 / 255.0, List.of(0.5, 0.5), List.of(0.2, 0.0, 0.2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TensorWriter(bad));
        assertEquals("invalid model input: "
                + "input.resizeShorterSide must be at least max(width, height) = 224 for shorter-side-then-center-crop, got 200; "
                + "input.mean must have 3 finite values, got [0.5, 0.5]; "
                + "input.std must have 3 positive values, got [0.2, 0.0, 0.2]", e.getMessage());
    }

    static void fill(FloatBuffer b, float value) {
        for (int i = 0; i < b.limit(); i++) {
            b.put(i, value);
        }
    }

    /** Within tolerance inside [offset, offset + n), and nothing written outside it (NaN sentinels survive). */
    static void assertMatches(float[] expected, FloatBuffer actual, int offset, String what) {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual.get(offset + i));
            if (!(d <= worst)) {
                worst = d;
                worstAt = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": max abs error " + worst + " at " + worstAt
                + " (expected " + (worstAt < 0 ? "" : expected[worstAt]) + ")");
        for (int i = 0; i < actual.limit(); i++) {
            if (i < offset || i >= offset + expected.length) {
                float v = actual.get(i);
                assertTrue(Float.isNaN(v), what + ": wrote outside its slice at " + i + ": " + v);
            }
        }
    }

    static float[] toArray(FloatBuffer b, int offset, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.get(offset + i);
        }
        return out;
    }
}
