package tagger.imaging;

import static java.awt.image.BufferedImage.TYPE_3BYTE_BGR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

class ImageDecodingTest {

    private static final long CAP = 40_000_000;

    /** The JPEG decoder under test: libjpeg-turbo when installed; {@link ImageIoDecodingTest} passes null. */
    TurboJpeg turbo() {
        return TurboJpeg.shared().orElse(null);
    }

    /** scale 1, mean 0, std 1: the tensor holds the 0..255 pixel values themselves. */
    Preprocessor identity(int width, int height) {
        return new Preprocessor(new PreprocessSpec(Layout.NHWC, width, height, ColorOrder.RGB,
                Resize.STRETCH, 0, 1.0, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0)), CAP, turbo());
    }

    /** RGB of output pixel (x, y) of an identity preprocessor's NHWC tensor. */
    private static float[] pixel(FloatBuffer t, int width, int x, int y) {
        return TensorWriterTest.toArray(t, 3 * (y * width + x), 3);
    }

    private static FloatBuffer run(Preprocessor p, byte[] image) throws UndecodableImageException {
        FloatBuffer t = FloatBuffer.allocate(p.tensorSize());
        p.preprocess(image, "image/*", t, 0);
        return t;
    }

    private static float[] rgb(int r, int g, int b) {
        return new float[] {r, g, b};
    }

    @Test
    void aBaselineJpegDecodesToItsColours() throws Exception {
        BufferedImage img = TestImages.solid(64, 48, TYPE_3BYTE_BGR, new Color(230, 40, 20));
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(30, 60, 220));
        g.fillRect(32, 0, 32, 48);
        g.dispose();
        FloatBuffer t = run(identity(8, 6), TestImages.encode(img, "jpeg"));
        assertArrayEquals(rgb(230, 40, 20), pixel(t, 8, 1, 3), 6f, "left block");
        assertArrayEquals(rgb(30, 60, 220), pixel(t, 8, 6, 3), 6f, "right block");
    }

    @Test
    void aLargeJpegIsDecodedSubsampledAndKeepsItsQuadrantsInPlace() throws Exception {
        assumeTrue(turbo() == null, "libjpeg-turbo scales in the DCT domain instead: TurboJpegDecodingTest");
        BufferedImage img = TestImages.quadrants(4000, 3000);
        byte[] jpeg = TestImages.encode(img, "jpeg");
        Preprocessor p = new Preprocessor(new PreprocessSpec(Layout.NHWC, 224, 224, ColorOrder.RGB,
                Resize.SHORTER_SIDE_THEN_CENTER_CROP, 256, 1.0, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0)), CAP, turbo());

        DecodedImage decoded = p.decode(jpeg, "image/jpeg");
        // Shorter side 3000 needs >= 2 x 256: every 5th pixel, from the middle of each 5x5 block.
        assertEquals(4000, decoded.sourceWidth());
        assertEquals(3000, decoded.sourceHeight());
        assertEquals(800, decoded.width());
        assertEquals(600, decoded.height());

        // Scaled 341x256, crop from (58, 16): the vertical edge (x = 2000) lands at output x = 112.5,
        // the horizontal one (y = 1500) at output y = 112.
        FloatBuffer t = FloatBuffer.allocate(p.tensorSize());
        p.write(decoded, t, 0);
        assertArrayEquals(rgb(255, 0, 0), pixel(t, 224, 110, 109), 8f, "top left");
        assertArrayEquals(rgb(0, 255, 0), pixel(t, 224, 115, 109), 8f, "top right");
        assertArrayEquals(rgb(0, 0, 255), pixel(t, 224, 110, 115), 8f, "bottom left");
        assertArrayEquals(rgb(255, 255, 255), pixel(t, 224, 115, 115), 8f, "bottom right");
        assertArrayEquals(rgb(255, 0, 0), pixel(t, 224, 0, 0), 8f, "corner");
    }

    @Test
    void otherFormatsAreSubsampledByTheSamePolicy() throws Exception {
        DecodedImage decoded = identity(16, 16).decode(TestImages.encode(TestImages.noise(200, 200, TYPE_3BYTE_BGR, 1), "png"), "image/png");
        assertEquals(33, decoded.width(), "every 6th of 200 columns, starting at column 2");
        assertEquals(33, decoded.height());
    }

    @Test
    void transparentPngPixelsAreCompositedOntoWhite() throws Exception {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_4BYTE_ABGR);
        for (int y = 0; y < 2; y++) {
            img.setRGB(0, y, 0x80FF0000);     // half-transparent red
            img.setRGB(1, y, 0x80FF0000);
            img.setRGB(2, y, 0x00000000);     // fully transparent black
            img.setRGB(3, y, 0xFF102030);     // opaque
        }
        FloatBuffer t = run(identity(4, 2), TestImages.encode(img, "png"));
        assertArrayEquals(rgb(255, 127, 127), pixel(t, 4, 0, 1));
        assertArrayEquals(rgb(255, 255, 255), pixel(t, 4, 2, 1));
        assertArrayEquals(rgb(16, 32, 48), pixel(t, 4, 3, 1));
    }

    @Test
    void grayWithAlphaPngIsCompositedOntoWhite() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
        r.setPixel(0, 0, new int[] {100, 255});
        r.setPixel(1, 0, new int[] {0, 0});
        FloatBuffer t = run(identity(2, 1), TestImages.encode(new BufferedImage(cm, r, false, null), "png"));
        assertArrayEquals(rgb(100, 100, 100), pixel(t, 2, 0, 0));
        assertArrayEquals(rgb(255, 255, 255), pixel(t, 2, 1, 0));
    }

    @Test
    void sixteenBitPngsAreScaledToEightBits() throws Exception {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(0, 0, 0, 0x8080);
        gray.getRaster().setSample(1, 0, 0, 1000);
        FloatBuffer g = run(identity(2, 1), TestImages.encode(gray, "png"));
        assertArrayEquals(rgb(128, 128, 128), pixel(g, 2, 0, 0));
        assertArrayEquals(rgb(4, 4, 4), pixel(g, 2, 1, 0));

        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(1, 1);
        r.setPixel(0, 0, new int[] {65535, 0, 0x8080});
        FloatBuffer c = run(identity(1, 1), TestImages.encode(new BufferedImage(cm, r, false, null), "png"));
        assertArrayEquals(rgb(255, 0, 128), pixel(c, 1, 0, 0));
    }

    @Test
    void grayscaleSamplesAreUsedRawWithoutGammaMapping() throws Exception {
        BufferedImage gray = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 9; i++) {
            gray.getRaster().setSample(i % 3, i / 3, 0, 100);
        }
        assertArrayEquals(rgb(100, 100, 100), pixel(run(identity(3, 3), TestImages.encode(gray, "png")), 3, 1, 1));
        assertArrayEquals(rgb(100, 100, 100), pixel(run(identity(3, 3), TestImages.encode(gray, "jpeg")), 3, 1, 1), 1f);
        assertTrue((gray.getRGB(1, 1) & 0xFF) != 100, "getRGB would have changed the value, so this test can tell");
    }

    @Test
    void gifPaletteColoursComeThrough() throws Exception {
        byte[] r = {(byte) 200, 0, 10, (byte) 255};
        byte[] g = {10, (byte) 128, 20, (byte) 255};
        byte[] b = {30, 0, (byte) 240, 0};
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b));
        for (int x = 0; x < 4; x++) {
            img.getRaster().setSample(x, 0, 0, x);
        }
        FloatBuffer t = run(identity(4, 1), TestImages.encode(img, "gif"));
        for (int x = 0; x < 4; x++) {
            assertArrayEquals(rgb(r[x] & 0xFF, g[x] & 0xFF, b[x] & 0xFF), pixel(t, 4, x, 0), "palette entry " + x);
        }
    }

    @Test
    void bmpPixelsComeThroughExactly() throws Exception {
        BufferedImage img = TestImages.noise(5, 3, TYPE_3BYTE_BGR, 11);
        FloatBuffer t = run(identity(5, 3), TestImages.encode(img, "bmp"));
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int v = img.getRGB(x, y);
                assertArrayEquals(rgb((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF), pixel(t, 5, x, y));
            }
        }
    }

    @Test
    void losslessWebpDecodesThroughTheTwelveMonkeysReader() throws Exception {
        Preprocessor p = identity(6, 4);
        DecodedImage decoded = p.decode(TestImages.WEBP_6X4_RED_BLUE, "image/webp");
        assertEquals("WebP", decoded.format());
        FloatBuffer t = FloatBuffer.allocate(p.tensorSize());
        p.write(decoded, t, 0);
        for (int x = 0; x < 6; x++) {
            assertArrayEquals(x < 3 ? rgb(200, 10, 30) : rgb(20, 120, 250), pixel(t, 6, x, 2), "column " + x);
        }
    }

    @Test
    void theDeclaredContentTypeIsNotTrusted() throws Exception {
        byte[] png = TestImages.encode(TestImages.noise(5, 5, TYPE_3BYTE_BGR, 2), "png");
        assertEquals("PNG", identity(2, 2).decode(png, "image/jpeg").format());
    }

    @Test
    void aTruncatedJpegIsRefusedInsteadOfTaggedHalfGray() {
        byte[] jpeg = TestImages.encode(TestImages.noise(200, 150, TYPE_3BYTE_BGR, 3), "jpeg");
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> run(identity(8, 8), half));
        assertEquals(ErrorCode.UNDECODABLE, e.code());
        assertTrue(e.getMessage().startsWith("JPEG is truncated (" + half.length + " bytes): "), e.getMessage());
        assertTrue(e.getMessage().contains("premature end"), e.getMessage());
    }

    @Test
    void aJpegMissingOnlyItsEndMarkerIsAccepted() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.solid(40, 40, TYPE_3BYTE_BGR, Color.ORANGE), "jpeg");
        FloatBuffer t = run(identity(4, 4), Arrays.copyOf(jpeg, jpeg.length - 2));
        assertArrayEquals(rgb(255, 200, 0), pixel(t, 4, 2, 2), 4f);
    }

    @Test
    void randomBytesAreNotAnImageAndTheMessageShowsWhatTheyStartWith() {
        byte[] junk = new byte[64];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 7 + 1);
        }
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> identity(2, 2).decode(junk, "image/jpeg"));
        assertEquals(ErrorCode.UNDECODABLE, e.code());
        assertEquals("not a supported image format (JPEG, PNG, GIF, BMP, WebP, TIFF, HEIC, AVIF): 64 bytes starting "
                + "01 08 0f 16 1d 24 2b 32, declared content type image/jpeg", e.getMessage());
    }

    @Test
    void garbageBehindAJpegSignatureFailsInTheJpegDecoder() {
        byte[] fake = new byte[64];
        fake[0] = (byte) 0xFF;
        fake[1] = (byte) 0xD8;
        fake[2] = (byte) 0xFF;
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> identity(2, 2).decode(fake, "image/jpeg"));
        assertTrue(e.getMessage().startsWith("cannot decode JPEG (64 bytes): "), e.getMessage());
    }

    @Test
    void aTruncatedPngFailsWithTheDecodersReason() {
        byte[] png = TestImages.encode(TestImages.noise(100, 100, TYPE_3BYTE_BGR, 4), "png");
        byte[] half = Arrays.copyOf(png, png.length / 2);
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> identity(2, 2).decode(half, "image/png"));
        assertTrue(e.getMessage().startsWith("cannot decode PNG (" + half.length + " bytes): Error reading PNG image data"), e.getMessage());
    }

    @Test
    void noBytesAtAllSaySo() {
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> identity(2, 2).decode(new byte[0], "image/png"));
        assertEquals("image is empty (0 bytes)", e.getMessage());
    }

    @Test
    void imagesOverThePixelCapAreRefused() {
        Preprocessor small = new Preprocessor(TestImages.input(Layout.NCHW, ColorOrder.RGB, Resize.STRETCH, 2, 2, 0), 1000, turbo());
        byte[] png = TestImages.encode(TestImages.noise(40, 30, TYPE_3BYTE_BGR, 5), "png");
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> small.decode(png, "image/png"));
        assertEquals(ErrorCode.TOO_MANY_PIXELS, e.code());
        assertEquals("PNG image is 40x30 px (1200 px), limit 1000 px", e.getMessage());
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderWithoutDecoding() {
        byte[] bomb = withPngSize(TestImages.encode(TestImages.noise(8, 8, TYPE_3BYTE_BGR, 6), "png"), 100_000, 100_000);
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> identity(2, 2).decode(bomb, "image/png"));
        assertEquals(ErrorCode.TOO_MANY_PIXELS, e.code());
        assertEquals("PNG image is 100000x100000 px (10000.0 MP), limit 40.0 MP", e.getMessage());
    }

    @Test
    void aCmykJpegWithoutAdobeMarkerDecodesThroughTheCmykReader() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            // A bare four-channel raster is written without an Adobe marker: read back as CMYK.
            writer.write(null, new IIOImage(Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null), null, null), null);
        } finally {
            writer.dispose();
        }
        // all four channels 0: no ink in CMYK, so white paper
        DecodedImage decoded = identity(2, 2).decode(out.toByteArray(), "image/jpeg");
        assertEquals("JPEG", decoded.format());
        assertEquals(16, decoded.sourceWidth());
    }

    /** The PNG with its IHDR width and height replaced (and the chunk's CRC fixed). */
    private static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] copy = png.clone();
        ByteBuffer b = ByteBuffer.wrap(copy);        // signature 8, length 4, "IHDR" 4, then width, height
        b.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 17);                    // chunk type + 13 data bytes
        b.putInt(29, (int) crc.getValue());
        return copy;
    }
}
