package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

    @Test
    void eachFormatIsRecognisedByItsMagicBytesAndTheHeaderReaderAgrees() {
        for (String name : new String[] {"jpeg", "png", "gif", "bmp"}) {
            byte[] image = HeaderTestImages.write(name, 8, 6);
            ImageFormat sniffed = ImageFormat.sniff(image);
            assertEquals(name.toUpperCase(Locale.ROOT), sniffed.name());
            assertEquals(sniffed, ImageInfo.read(image).format());
        }
        assertEquals(ImageFormat.WEBP, ImageFormat.sniff(WebpHeaders.vp8(10, 10)));
    }

    @Test
    void bytesWithoutAKnownMagicNumberAreNoFormat() {
        assertNull(ImageFormat.sniff(new byte[0]));
        assertNull(ImageFormat.sniff("<html>".getBytes(StandardCharsets.US_ASCII)));
        assertNull(ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8}));
    }
}
