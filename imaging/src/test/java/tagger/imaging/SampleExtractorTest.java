package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import org.junit.jupiter.api.Test;
import tagger.imaging.DecodedImage.Samples;

class SampleExtractorTest {

    private static int[] rgbAt(Samples s, int x, int y) {
        int i = s.base() + y * s.rowStride() + x * s.pixelStride();
        byte[] d = s.data();
        return new int[] {d[i + s.red()] & 0xFF, d[i + s.green()] & 0xFF, d[i + s.blue()] & 0xFF};
    }

    @Test
    void threeByteBgrIsReadInPlaceWithoutACopy() throws Exception {
        BufferedImage img = TestImages.noise(5, 4, BufferedImage.TYPE_3BYTE_BGR, 1);
        Samples s = SampleExtractor.extract(img, "test");
        assertSame(((DataBufferByte) img.getRaster().getDataBuffer()).getData(), s.data());
        int v = img.getRGB(3, 2);
        assertArrayEquals(new int[] {(v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF}, rgbAt(s, 3, 2));
    }

    @Test
    void aTransparentPaletteEntryBecomesWhite() throws Exception {
        byte[] r = {(byte) 250, 0, 0};
        byte[] g = {5, 0, 0};
        byte[] b = {10, (byte) 255, 0};
        byte[] a = {(byte) 255, 0, (byte) 255};
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b, a));
        for (int x = 0; x < 3; x++) {
            img.getRaster().setSample(x, 0, 0, x);
        }
        Samples s = SampleExtractor.extract(img, "test");
        assertArrayEquals(new int[] {250, 5, 10}, rgbAt(s, 0, 0));
        assertArrayEquals(new int[] {255, 255, 255}, rgbAt(s, 1, 0));
        assertArrayEquals(new int[] {0, 0, 0}, rgbAt(s, 2, 0));
    }

    @Test
    void premultipliedAlphaIsCompositedOntoWhiteToo() throws Exception {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        img.setRGB(0, 0, 0x80FF0000);    // half-transparent red, stored premultiplied as (128, 128, 0, 0)
        Samples s = SampleExtractor.extract(img, "test");
        assertArrayEquals(new int[] {255, 127, 127}, rgbAt(s, 0, 0));
    }

    @Test
    void oneBitImagesGoThroughTheGenericPath() throws Exception {
        BufferedImage img = new BufferedImage(9, 2, BufferedImage.TYPE_BYTE_BINARY);
        img.setRGB(8, 1, 0xFFFFFFFF);
        Samples s = SampleExtractor.extract(img, "test");
        assertArrayEquals(new int[] {0, 0, 0}, rgbAt(s, 7, 1));
        assertArrayEquals(new int[] {255, 255, 255}, rgbAt(s, 8, 1));
    }

    @Test
    void aPaletteSubimageIsReadFromItsOwnCorner() throws Exception {
        BufferedImage parent = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_INDEXED);
        parent.setRGB(6, 7, 0xFF0000FF);
        Samples s = SampleExtractor.extract(parent.getSubimage(4, 5, 3, 3), "test");
        assertArrayEquals(new int[] {0, 0, 255}, rgbAt(s, 2, 2));
        assertArrayEquals(new int[] {0, 0, 0}, rgbAt(s, 1, 2));
    }
}
