package tagger.loadtest.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PhotoCorpusTest {
    private final PhotoCorpus corpus = new PhotoCorpus(2, 1);

    private static BufferedImage decode(byte[] bytes) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void markedJpegsAreUniquePerIdAndStillDecodeAtTheirSize() throws Exception {
        Photo photo = Photo.parse("320x240.jpg");
        byte[] a = corpus.unique(photo, 1);
        byte[] b = corpus.unique(photo, 3);
        assertFalse(java.util.Arrays.equals(a, b));
        assertArrayEquals(a, corpus.unique(photo, 1), "the same id gives the same bytes");
        BufferedImage img = decode(a);
        assertEquals(320, img.getWidth());
        assertEquals(240, img.getHeight());
        assertEquals(0xFF, a[2] & 0xff);
        assertEquals(0xFE, a[3] & 0xff, "a COM segment right after SOI");
    }

    @Test
    void markedPngsCarryAValidTextChunkAndStillDecode() throws Exception {
        Photo photo = Photo.parse("640x480.png");
        byte[] png = corpus.unique(photo, "r1-9-0");
        BufferedImage img = decode(png);
        assertEquals(640, img.getWidth());
        ByteBuffer buf = ByteBuffer.wrap(png);
        int length = buf.getInt(33);
        assertEquals("tEXt", new String(png, 37, 4, java.nio.charset.StandardCharsets.US_ASCII));
        CRC32 crc = new CRC32();
        crc.update(png, 37, 4 + length);
        assertEquals((int) crc.getValue(), buf.getInt(41 + length), "chunk CRC");
        assertTrue(new String(png, 41, length, java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("r1-9-0"));
    }

    @Test
    void photosLookLikePhotosNotFlatColour() throws Exception {
        byte[] jpeg = corpus.unique(Photo.parse("640x480.jpg"), 5);
        // a flat 640x480 JPEG is ~5 KB; texture and noise make a photo-like one several times larger
        assertTrue(jpeg.length > 40_000, "size " + jpeg.length);
        BufferedImage img = decode(jpeg);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 8) {
            for (int x = 0; x < img.getWidth(); x += 8) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 1000, "distinct sampled colours " + colours.size());
    }

    @Test
    void photoKindsParseAndRejectNonsense() {
        assertEquals(new Photo(4000, 3000, Photo.Format.JPEG), Photo.parse("4000x3000.jpg"));
        assertEquals("1920x1080.png", Photo.parse("1920x1080.PNG").toString());
        assertEquals("photo must be WIDTHxHEIGHT.jpg or WIDTHxHEIGHT.png (e.g. 640x480.jpg), got '640x480.gif'",
                assertThrows(IllegalArgumentException.class, () -> Photo.parse("640x480.gif")).getMessage());
        assertEquals("photo size must be at least 16x16 and at most 24 MP, got 10000x9000",
                assertThrows(IllegalArgumentException.class, () -> Photo.parse("10000x9000.jpg")).getMessage());
    }
}
