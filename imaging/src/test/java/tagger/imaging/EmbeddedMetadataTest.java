package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tagger.testkit.IccProfiles;
import tagger.testkit.PhotoCorpus;
import tagger.testkit.SampleImages;

class EmbeddedMetadataTest {

    private static final byte[] JPEG = SampleImages.jpeg(SampleImages.rainbow(40, 30));

    @Test
    void readsEveryExifOrientationFromAJpeg() {
        for (int o = 1; o <= 8; o++) {
            byte[] jpeg = PhotoCorpus.withSegment(JPEG, 0xE1, PhotoCorpus.exifOrientation(o));
            assertEquals(Orientation.ofExif(o), EmbeddedMetadata.read(jpeg).orientation());
        }
    }

    @Test
    void aJpegWithoutExifIsUpright() {
        EmbeddedMetadata m = EmbeddedMetadata.read(JPEG);
        assertEquals(Orientation.NORMAL, m.orientation());
        assertNull(m.iccProfile());
        assertEquals(3, m.jpegComponents());
    }

    @Test
    void anOrientationOutsideOneToEightIsUpright() {
        byte[] jpeg = PhotoCorpus.withSegment(JPEG, 0xE1, PhotoCorpus.exifOrientation(9));
        assertEquals(Orientation.NORMAL, EmbeddedMetadata.read(jpeg).orientation());
    }

    @Test
    void truncatedExifIsIgnoredNotAnError() {
        byte[] exif = Arrays.copyOf(PhotoCorpus.exifOrientation(6), 18); // IFD cut off mid-entry
        byte[] jpeg = PhotoCorpus.withSegment(JPEG, 0xE1, exif);
        assertEquals(Orientation.NORMAL, EmbeddedMetadata.read(jpeg).orientation());
        assertEquals(3, EmbeddedMetadata.read(jpeg).jpegComponents());
    }

    @Test
    void readsTheIccProfileOfAJpegAndAPng() {
        byte[] p3 = IccProfiles.displayP3();
        byte[] app2 = new byte[14 + p3.length];
        System.arraycopy("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), 0, app2, 0, 12);
        app2[12] = 1;
        app2[13] = 1;
        System.arraycopy(p3, 0, app2, 14, p3.length);
        assertArrayEquals(p3, EmbeddedMetadata.read(PhotoCorpus.withSegment(JPEG, 0xE2, app2)).iccProfile());
    }

    @Test
    void aCmykJpegHasFourComponents() {
        assertEquals(4, EmbeddedMetadata.read(PhotoCorpus.generate(SampleImages.rainbow(16, 16)).items().stream()
                .filter(i -> i.name().equals("cmyk-adobe.jpg")).findFirst().orElseThrow().bytes()).jpegComponents());
    }

    @Test
    void garbageAfterTheMagicGivesNoMetadata() {
        byte[] junk = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) 0xFF, (byte) 0xFF, 1, 2, 3};
        assertEquals(EmbeddedMetadata.NONE.orientation(), EmbeddedMetadata.read(junk).orientation());
    }

    /** The JPEG without its APP2 ICC_PROFILE segments. */
    static byte[] withoutIcc(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos + 1] & 0xFF) != 0xDA) {
            int length = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            boolean icc = (jpeg[pos + 1] & 0xFF) == 0xE2
                    && new String(jpeg, pos + 4, 11, StandardCharsets.ISO_8859_1).equals("ICC_PROFILE");
            if (!icc) {
                out.write(jpeg, pos, 2 + length);
            }
            pos += 2 + length;
        }
        out.write(jpeg, pos, jpeg.length - pos);
        return out.toByteArray();
    }
}
