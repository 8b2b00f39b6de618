package tagger.imaging;

import static java.awt.image.BufferedImage.TYPE_3BYTE_BGR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

/** Known values end to end: encoded bytes in, exact floats in the right places out. */
class PreprocessorTest {

    private static final List<Double> MEAN = List.of(0.1, 0.2, 0.3);
    private static final List<Double> STD = List.of(0.5, 0.25, 0.2);

    private static PreprocessSpec input(Layout layout, ColorOrder order, Resize resize, int w, int h, int shorterSide) {
        return new PreprocessSpec(layout, w, h, order, resize, shorterSide, 1 / 255.0, MEAN, STD);
    }

    private static float expected(int pixel, int channel) {
        return (float) ((pixel / 255.0 - MEAN.get(channel)) / STD.get(channel));
    }

    @Test
    void aSolidColourFillsEachNchwPlaneWithItsNormalisedValue() throws Exception {
        Preprocessor p = new Preprocessor(input(Layout.NCHW, ColorOrder.RGB, Resize.STRETCH, 5, 3, 0), 1_000_000);
        byte[] png = TestImages.encode(TestImages.solid(7, 9, TYPE_3BYTE_BGR, new Color(200, 10, 30)), "png");
        FloatBuffer batch = FloatBuffer.allocate(p.tensorSize());
        p.preprocess(png, "image/png", batch, 0);
        for (int i = 0; i < 15; i++) {
            assertEquals(expected(200, 0), batch.get(i), 1e-6, "R plane");
            assertEquals(expected(10, 1), batch.get(15 + i), 1e-6, "G plane");
            assertEquals(expected(30, 2), batch.get(30 + i), 1e-6, "B plane");
        }
    }

    @Test
    void bgrPutsBlueFirstWithTheFirstMeanAndStd() throws Exception {
        Preprocessor p = new Preprocessor(input(Layout.NCHW, ColorOrder.BGR, Resize.STRETCH, 2, 2, 0), 1_000_000);
        byte[] png = TestImages.encode(TestImages.solid(4, 4, TYPE_3BYTE_BGR, new Color(200, 10, 30)), "png");
        FloatBuffer batch = FloatBuffer.allocate(p.tensorSize());
        p.preprocess(png, "image/png", batch, 0);
        assertEquals(expected(30, 0), batch.get(0), 1e-6);
        assertEquals(expected(10, 1), batch.get(4), 1e-6);
        assertEquals(expected(200, 2), batch.get(8), 1e-6);
    }

    @Test
    void nhwcInterleavesTheChannelsOfEachPixel() throws Exception {
        Preprocessor p = new Preprocessor(input(Layout.NHWC, ColorOrder.RGB, Resize.STRETCH, 3, 2, 0), 1_000_000);
        byte[] bmp = TestImages.encode(TestImages.solid(4, 4, TYPE_3BYTE_BGR, new Color(200, 10, 30)), "bmp");
        FloatBuffer batch = FloatBuffer.allocate(p.tensorSize());
        p.preprocess(bmp, "image/bmp", batch, 0);
        for (int pixel = 0; pixel < 6; pixel++) {
            assertArrayEquals(new float[] {expected(200, 0), expected(10, 1), expected(30, 2)},
                    TensorWriterTest.toArray(batch, 3 * pixel, 3), 1e-6f, "pixel " + pixel);
        }
    }

    @Test
    void redOnTheLeftStaysOnTheLeft() throws Exception {
        Preprocessor p = new Preprocessor(input(Layout.NCHW, ColorOrder.RGB, Resize.STRETCH, 16, 16, 0), 1_000_000);
        BufferedImage img = TestImages.solid(64, 32, TYPE_3BYTE_BGR, Color.BLUE);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 32);
        g.dispose();
        FloatBuffer batch = FloatBuffer.allocate(p.tensorSize());
        p.preprocess(TestImages.encode(img, "png"), "image/png", batch, 0);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                float red = batch.get(y * 16 + x);
                float blue = batch.get(2 * 256 + y * 16 + x);
                if (x < 7) {
                    assertEquals(expected(255, 0), red, 1e-6, "red at x=" + x);
                    assertEquals(expected(0, 2), blue, 1e-6, "no blue at x=" + x);
                } else if (x > 8) {
                    assertEquals(expected(0, 0), red, 1e-6, "no red at x=" + x);
                    assertEquals(expected(255, 2), blue, 1e-6, "blue at x=" + x);
                }
            }
        }
    }

    @Test
    void theCentreCropKeepsTheCentreAndDropsTheMargins() throws Exception {
        // 300x200 -> shorter side 40 gives 60x40; the 32x32 crop starts at x = 14 (source x = 72),
        // so the blue band at source x < 40 is cut off and the green marker lands in the middle.
        Preprocessor p = new Preprocessor(input(Layout.NCHW, ColorOrder.RGB, Resize.SHORTER_SIDE_THEN_CENTER_CROP, 32, 32, 40), 1_000_000);
        BufferedImage img = TestImages.solid(300, 200, TYPE_3BYTE_BGR, Color.WHITE);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 40, 200);
        g.setColor(Color.GREEN);
        g.fillRect(140, 90, 20, 20);
        g.dispose();
        FloatBuffer batch = FloatBuffer.allocate(p.tensorSize());
        p.preprocess(TestImages.encode(img, "png"), "image/png", batch, 0);
        int plane = 32 * 32;
        for (int y = 15; y <= 16; y++) {
            for (int x = 15; x <= 16; x++) {
                assertEquals(expected(0, 0), batch.get(y * 32 + x), 1e-6, "no red in the marker");
                assertEquals(expected(255, 1), batch.get(plane + y * 32 + x), 1e-6, "green marker in the centre");
            }
        }
        for (int i = 0; i < plane; i++) {
            // White and the green marker both have G = 255; only the cropped-off blue band has G = 0.
            assertEquals(expected(255, 1), batch.get(plane + i), 1e-6, "no trace of the blue band at index " + i);
        }
    }

    @Test
    void preprocessReportsTheFormatSizeAndBothTimings() throws Exception {
        Preprocessor p = new Preprocessor(input(Layout.NCHW, ColorOrder.RGB, Resize.STRETCH, 8, 8, 0), 1_000_000);
        byte[] jpeg = TestImages.encode(TestImages.noise(40, 30, TYPE_3BYTE_BGR, 9), "jpeg");
        Preprocessed result = p.preprocess(jpeg, "application/octet-stream", FloatBuffer.allocate(p.tensorSize()), 0);
        assertEquals("JPEG", result.format());
        assertEquals(40, result.sourceWidth());
        assertEquals(30, result.sourceHeight());
        assertTrue(result.decodeNanos() > 0, "decode took time");
        assertTrue(result.resizeNanos() > 0, "resize took time");
        assertEquals((result.decodeNanos() + result.resizeNanos()) / 1e6, result.totalMillis(), 1e-9);
    }

    @Test
    void oneSharedPreprocessorGivesIdenticalTensorsOnManyThreads() throws Exception {
        Preprocessor p = new Preprocessor(TestImages.input(Layout.NCHW, ColorOrder.RGB, Resize.SHORTER_SIDE_THEN_CENTER_CROP, 32, 32, 36), 1_000_000);
        List<byte[]> images = List.of(
                TestImages.encode(TestImages.noise(120, 90, TYPE_3BYTE_BGR, 1), "jpeg"),
                TestImages.encode(TestImages.noise(90, 120, TYPE_3BYTE_BGR, 2), "png"),
                TestImages.WEBP_6X4_RED_BLUE);
        List<float[]> expected = new ArrayList<>();
        for (byte[] image : images) {
            FloatBuffer one = FloatBuffer.allocate(p.tensorSize());
            p.preprocess(image, "image/*", one, 0);
            expected.add(one.array());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "preprocess-test"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    FloatBuffer batch = FloatBuffer.allocate(images.size() * p.tensorSize());
                    for (int round = 0; round < 15; round++) {
                        for (int i = 0; i < images.size(); i++) {
                            p.preprocess(images.get(i), "image/*", batch, i * p.tensorSize());
                        }
                        for (int i = 0; i < images.size(); i++) {
                            assertArrayEquals(expected.get(i), TensorWriterTest.toArray(batch, i * p.tensorSize(), p.tensorSize()));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
