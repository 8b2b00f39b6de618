package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tagger.common.ErrorCode;

class ImageInfoTest {

    @Test
    void baselineJpegSizeComesFromItsFrameHeader() {
        assertEquals(new ImageInfo(ImageFormat.JPEG, 301, 199), ImageInfo.read(HeaderTestImages.write("jpeg", 301, 199)));
    }

    @Test
    void progressiveJpegSizeComesFromItsSof2Header() {
        byte[] jpeg = HeaderTestImages.progressiveJpeg(257, 130);
        assertTrue(indexOf(jpeg, (byte) 0xff, (byte) 0xc2) > 0, "the writer produced a progressive (SOF2) file");
        assertEquals(new ImageInfo(ImageFormat.JPEG, 257, 130), ImageInfo.read(jpeg));
    }

    @Test
    void jpegWalkSkipsLargeAppSegmentsAndFillBytes() {
        byte[] jpeg = HeaderTestImages.write("jpeg", 640, 480);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);                                  // SOI
        byte[] exif = new byte[60_000];                         // an APP1 as big as a camera's EXIF block
        out.write(0xff);
        out.write(0xe1);
        out.write((exif.length + 2) >> 8);
        out.write((exif.length + 2) & 0xff);
        out.write(exif, 0, exif.length);
        out.write(0xff);                                        // fill bytes before the next marker
        out.write(0xff);
        out.write(jpeg, 2, jpeg.length - 2);
        assertEquals(new ImageInfo(ImageFormat.JPEG, 640, 480), ImageInfo.read(out.toByteArray()));
    }

    @Test
    void pngSizeComesFromIhdr() {
        assertEquals(new ImageInfo(ImageFormat.PNG, 123, 45), ImageInfo.read(HeaderTestImages.write("png", 123, 45)));
    }

    @Test
    void gifSizeComesFromTheLogicalScreen() {
        assertEquals(new ImageInfo(ImageFormat.GIF, 77, 33), ImageInfo.read(HeaderTestImages.write("gif", 77, 33)));
    }

    @Test
    void bottomUpBmpSizeComesFromTheInfoHeader() {
        assertEquals(new ImageInfo(ImageFormat.BMP, 50, 20), ImageInfo.read(HeaderTestImages.write("bmp", 50, 20)));
    }

    @Test
    void topDownBmpNegativeHeightIsReadAsItsMagnitude() {
        byte[] bmp = HeaderTestImages.topDownBmp(50, 20);
        assertEquals(-20, littleEndianInt(bmp, 22), "the writer stored a negative (top-down) height");
        assertEquals(new ImageInfo(ImageFormat.BMP, 50, 20), ImageInfo.read(bmp));
    }

    @Test
    void os2BmpCoreHeaderSizeIsRead() {
        byte[] bmp = new byte[26];
        bmp[0] = 'B';
        bmp[1] = 'M';
        bmp[14] = 12;               // BITMAPCOREHEADER
        bmp[18] = (byte) 0x2c;      // width 300
        bmp[19] = 0x01;
        bmp[20] = 100;              // height 100
        assertEquals(new ImageInfo(ImageFormat.BMP, 300, 100), ImageInfo.read(bmp));
    }

    @Test
    void lossyWebpSizeComesFromTheVp8FrameHeader() {
        byte[] webp = WebpHeaders.vp8(1024, 768);
        assertEquals(new ImageInfo(ImageFormat.WEBP, 1024, 768), ImageInfo.read(webp));
    }

    @Test
    void losslessWebpSizeComesFromTheVp8lBitfield() {
        assertEquals(new ImageInfo(ImageFormat.WEBP, 16383, 1), ImageInfo.read(WebpHeaders.vp8l(16383, 1)));
        assertEquals(new ImageInfo(ImageFormat.WEBP, 400, 300), ImageInfo.read(WebpHeaders.vp8l(400, 300)));
    }

    @Test
    void extendedWebpSizeComesFromTheCanvas() {
        assertEquals(new ImageInfo(ImageFormat.WEBP, 20000, 16384), ImageInfo.read(WebpHeaders.vp8x(20000, 16384)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // First 30 bytes of 321x123 files written by cwebp 1.2.4 (libwebp): a check on the hand-built headers.
        "lossy VP8, 524946464659000057454250565038203a590000b09d009d012a41017b00",
        "lossless VP8L, 524946465c390000574542505650384c4f3900002f40811e1009a04004f2",
        "extended VP8X with alpha, 524946466a59000057454250565038580a000000100000004001007a0000",
    })
    void webpHeadersWrittenByLibwebpAreRead(String kind, String hex) {
        assertEquals(new ImageInfo(ImageFormat.WEBP, 321, 123), ImageInfo.read(HexFormat.of().parseHex(hex)));
    }

    @Test
    void htmlErrorPageIsNotAnImageAndTheMessageShowsItsStart() {
        assertRejected("<html><body>404 Not Found</body></html>".getBytes(StandardCharsets.US_ASCII),
                "not a supported image (JPEG, PNG, GIF, BMP, WebP, TIFF, HEIC, AVIF): starts with '<html><body>404 '");
    }

    @Test
    void binaryUnknownFormatIsShownInHex() {
        byte[] jpeg2000 = {0, 0, 0, 12, 'j', 'P', ' ', ' ', 13, 10, (byte) 0x87, 10, 0, 0, 0, 20, 'f', 't'};
        assertRejected(jpeg2000, "not a supported image (JPEG, PNG, GIF, BMP, WebP, TIFF, HEIC, AVIF): first bytes"
                + " 00 00 00 0c 6a 50 20 20 0d 0a 87 0a 00 00 00 14");
    }

    @Test
    void emptyAndTooShortBodiesSaySo() {
        assertRejected(new byte[0], "body is empty, not an image");
        assertRejected(new byte[] {(byte) 0xff, (byte) 0xd8}, "body is only 2 bytes, too short to tell which image format it is");
    }

    @Test
    void truncatedHeadersSayWhatIsMissing() {
        byte[] png = HeaderTestImages.write("png", 10, 10);
        assertRejected(Arrays.copyOf(png, 20), "truncated PNG header: needs 24 bytes, body has 20");
        assertRejected(Arrays.copyOf(HeaderTestImages.write("gif", 10, 10), 8), "truncated GIF header: needs 10 bytes, body has 8");
        assertRejected(Arrays.copyOf(WebpHeaders.vp8(10, 10), 27), "truncated WEBP header: needs 28 bytes, body has 27");
        assertRejected(Arrays.copyOf(HeaderTestImages.write("bmp", 10, 10), 20), "truncated BMP header: needs 22 bytes, body has 20");
        byte[] jpeg = HeaderTestImages.write("jpeg", 10, 10);
        int sof = indexOf(jpeg, (byte) 0xff, (byte) 0xc0);
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> ImageInfo.read(Arrays.copyOf(jpeg, sof)));
        assertEquals(ErrorCode.NOT_AN_IMAGE, e.code());
        assertTrue(e.getMessage().startsWith("truncated JPEG header: needs "), e.getMessage());
    }

    @Test
    void corruptHeadersSayWhatIsWrong() {
        byte[] png = HeaderTestImages.write("png", 10, 10);
        png[12] = 'X';
        assertRejected(png, "corrupt PNG header: first chunk is 'XHDR', expected IHDR");
        byte[] jpegScanFirst = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 2};
        assertRejected(jpegScanFirst, "corrupt JPEG header: no frame header (SOF) before marker 0xffda");
        byte[] vp8 = WebpHeaders.vp8(10, 10);
        vp8[23] = 0;
        assertRejected(vp8, "corrupt WEBP header: VP8 frame has no start code 9d 01 2a at byte 23");
        byte[] bmp = HeaderTestImages.write("bmp", 10, 10);
        bmp[14] = 7;
        assertRejected(bmp, "corrupt BMP header: DIB header size is 7, not one of 12, 16, 40, 52, 56, 64, 108, 124");
        byte[] gif = HeaderTestImages.write("gif", 10, 10);
        gif[6] = 0;
        gif[7] = 0;
        assertRejected(gif, "corrupt GIF header: declares 0x10 px");
    }

    @Test
    void pixelCapRejectsWithTheSizeAndTheLimit() {
        ImageInfo huge = new ImageInfo(ImageFormat.JPEG, 40000, 30000);
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> huge.requireAtMostPixels(ImageInfo.DEFAULT_MAX_PIXELS));
        assertEquals(ErrorCode.TOO_MANY_PIXELS, e.code());
        assertEquals("image is 40000x30000 px (1200.0 MP), limit 40.0 MP", e.getMessage());
    }

    @Test
    void pixelCapAllowsAnImageExactlyAtTheLimit() {
        ImageInfo atLimit = new ImageInfo(ImageFormat.PNG, 8000, 5000);
        assertSame(atLimit, atLimit.requireAtMostPixels(ImageInfo.DEFAULT_MAX_PIXELS));
    }

    @Test
    void tinyGifDeclaringAHugeScreenIsCaughtFromItsHeaderAlone() {
        // The 35-byte GIF that made scrimage allocate 8.6 GB: the header alone gives it away.
        byte[] bomb = new byte[35];
        System.arraycopy("GIF89a".getBytes(StandardCharsets.US_ASCII), 0, bomb, 0, 6);
        bomb[6] = (byte) 0xff;
        bomb[7] = (byte) 0xff;
        bomb[8] = (byte) 0xff;
        bomb[9] = 0x7f;
        ImageInfo info = ImageInfo.read(bomb);
        assertEquals(new ImageInfo(ImageFormat.GIF, 65535, 32767), info);
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> info.requireAtMostPixels(ImageInfo.DEFAULT_MAX_PIXELS));
        assertEquals("image is 65535x32767 px (2147.4 MP), limit 40.0 MP", e.getMessage());
    }

    private static void assertRejected(byte[] bytes, String message) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> ImageInfo.read(bytes));
        assertEquals(ErrorCode.NOT_AN_IMAGE, e.code());
        assertEquals(message, e.getMessage());
    }

    private static int indexOf(byte[] haystack, byte a, byte b) {
        for (int i = 0; i + 1 < haystack.length; i++) {
            if (haystack[i] == a && haystack[i + 1] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
