package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

class TurboJpegDecodingTest {

    private static final List<Double> ZERO = List.of(0.0, 0.0, 0.0);
    private static final List<Double> ONE = List.of(1.0, 1.0, 1.0);

    private static TurboJpeg turbo() {
        return TurboJpeg.shared().orElseThrow(() -> new AssertionError(
                "libturbojpeg is not loadable; ./tagger test installs the Debian package libturbojpeg0"));
    }

    private static Preprocessor crop224(TurboJpeg turbo) {
        return new Preprocessor(new PreprocessSpec(Layout.NHWC, 224, 224, ColorOrder.RGB,
                Resize.SHORTER_SIDE_THEN_CENTER_CROP, 256, 1.0, ZERO, ONE), 40_000_000, turbo);
    }

    @Test
    void aTwelveMegapixelJpegIsDecodedAtOneEighthBecauseThatStillCoversTheShorterSide() throws Exception {
        BufferedImage img = TestImages.quadrants(4000, 3000);
        Preprocessor p = crop224(turbo());
        assertEquals("turbojpeg", p.jpegDecoder());

        DecodedImage decoded = p.decode(TestImages.encode(img, "jpeg"), "image/jpeg");
        assertEquals(4000, decoded.sourceWidth());
        assertEquals(3000, decoded.sourceHeight());
        assertEquals(500, decoded.width(), "3000 / 8 = 375 >= 256");
        assertEquals(375, decoded.height());

        FloatBuffer t = FloatBuffer.allocate(p.tensorSize());
        p.write(decoded, t, 0);
        assertArrayEquals(new float[] {255, 0, 0}, TensorWriterTest.toArray(t, 3 * (109 * 224 + 110), 3), 8f, "top left");
        assertArrayEquals(new float[] {0, 255, 0}, TensorWriterTest.toArray(t, 3 * (109 * 224 + 115), 3), 8f, "top right");
        assertArrayEquals(new float[] {0, 0, 255}, TensorWriterTest.toArray(t, 3 * (115 * 224 + 110), 3), 8f, "bottom left");
        assertArrayEquals(new float[] {255, 255, 255}, TensorWriterTest.toArray(t, 3 * (115 * 224 + 115), 3), 8f, "bottom right");
    }

    @Test
    void theScaleIsTheSmallestWhoseOutputStillCoversTheResize() {
        TurboJpeg turbo = turbo();
        TensorWriter crop = new TensorWriter(new PreprocessSpec(Layout.NCHW, 224, 224, ColorOrder.RGB,
                Resize.SHORTER_SIDE_THEN_CENTER_CROP, 256, 1.0, ZERO, ONE));
        assertEquals("1/8", turbo.smallestCovering(4000, 3000, crop::covers).toString());
        assertEquals("1/4", turbo.smallestCovering(1920, 1080, crop::covers).toString(), "1080/8 = 135 < 256 <= 1080/4 = 270");
        assertEquals("5/8", turbo.smallestCovering(640, 480, crop::covers).toString(), "480 / 2 = 240 < 256 <= 480 * 5/8 = 300");
        assertEquals("1/1", turbo.smallestCovering(300, 250, crop::covers).toString(), "never upscaled");
        TensorWriter stretch = new TensorWriter(new PreprocessSpec(Layout.NCHW, 224, 224, ColorOrder.RGB,
                Resize.STRETCH, 0, 1.0, ZERO, ONE));
        assertEquals("3/8", turbo.smallestCovering(4000, 600, stretch::covers).toString(), "600 * 3/8 = 225 >= 224");
    }

    @Test
    void switchingItOffSelectsTheImageIoPath() {
        assertTrue(TurboJpeg.load("off").isEmpty());
        assertEquals("imageio", crop224(null).jpegDecoder());
    }

    @Test
    void aFourFourFourJpegRoundTripsNearlyLosslessly() throws Exception {
        byte[] rgb = new byte[3 * 64 * 48];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) ((i * 37) % 251);
        }
        TurboJpeg turbo = turbo();
        byte[] jpeg = turbo.encode444(rgb, 64, 48, 100);
        TurboJpeg.Decoded back = turbo.decode(jpeg, new TurboJpeg.ScalingFactor(1, 1));
        assertEquals(64, back.width());
        assertEquals(48, back.height());
        int worst = 0;
        for (int i = 0; i < rgb.length; i++) {
            worst = Math.max(worst, Math.abs((rgb[i] & 0xFF) - (back.rgb()[i] & 0xFF)));
        }
        assertTrue(worst <= 12, "largest channel error " + worst);
    }
}
