package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;
import tagger.testkit.PhotoCorpus;
import tagger.testkit.PhotoCorpus.Item;

/**
 * Truncated and corrupted copies of every corpus file through every decoder (libheif included):
 * each ends as a decoded image or an {@link UndecodableImageException}, never another exception
 * or a crash of this JVM; truncated files are errors, not half-grey pictures.
 */
class HostilePhotosTest {

    private static final Preprocessor PREPROCESSOR = new Preprocessor(PhotoFormatsTestSpec.SPEC, 50_000_000);
    private static List<Item> items;

    @BeforeAll
    static void generate() {
        items = PhotoCorpus.generate(PhotoCorpus.upright(96, 64)).items();
    }

    @Test
    void truncatedFilesOfEveryFormatAreErrors() {
        for (Item item : items) {
            if (item.name().startsWith("orientation-") && !item.name().equals("orientation-6.jpg")) {
                continue; // the same decoder eight times
            }
            for (double keep : new double[] {0.1, 0.5, 0.9}) {
                byte[] cut = Arrays.copyOf(item.bytes(), (int) (item.bytes().length * keep));
                UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> decode(cut),
                        item.name() + " cut to " + cut.length + " of " + item.bytes().length + " bytes decoded");
                assertEquals(ErrorCode.UNDECODABLE, e.code(), e.getMessage());
            }
        }
    }

    @Test
    void corruptedFilesOfEveryFormatDecodeOrFailCleanly() {
        Random random = new Random(7);
        int decoded = 0;
        int refused = 0;
        for (Item item : items) {
            for (int round = 0; round < 30; round++) {
                byte[] bad = item.bytes().clone();
                int flips = 1 + random.nextInt(16);
                for (int i = 0; i < flips; i++) {
                    bad[16 + random.nextInt(bad.length - 16)] = (byte) random.nextInt(256); // keep the magic
                }
                try {
                    decode(bad);
                    decoded++;
                } catch (UndecodableImageException e) {
                    refused++;
                } catch (RuntimeException | Error e) {
                    fail(item.name() + " round " + round + " threw " + e, e);
                }
            }
        }
        assertTrue(decoded > 0 && refused > 0, "decoded " + decoded + ", refused " + refused);
    }

    @Test
    void heifImagesOverThePixelCapAreRefusedFromTheirHeader() throws Exception {
        Preprocessor small = new Preprocessor(PhotoFormatsTestSpec.SPEC, 1000);
        for (String name : List.of("photo.heic", "photo.avif")) {
            byte[] bytes = item(name).bytes();
            UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> small.decode(bytes, "image/heic"));
            assertEquals(ErrorCode.TOO_MANY_PIXELS, e.code());
            assertEquals(name.endsWith("heic") ? "HEIC" : "AVIF", e.getMessage().substring(0, 4));
            assertTrue(e.getMessage().endsWith("image is 96x64 px (0.0 MP), limit 0.0 MP"), e.getMessage());
        }
    }

    @Test
    void headersOfTheNewFormatsGiveTheirSize() {
        for (String name : List.of("photo.heic", "photo.avif", "photo.tiff")) {
            ImageInfo info = ImageInfo.read(item(name).bytes());
            assertEquals(96, info.width(), name);
            assertEquals(64, info.height(), name);
        }
        assertEquals(ImageFormat.HEIC, ImageInfo.read(item("photo.heic").bytes()).format());
        assertEquals(ImageFormat.AVIF, ImageInfo.read(item("photo.avif").bytes()).format());
        assertEquals(ImageFormat.TIFF, ImageInfo.read(item("photo.tiff").bytes()).format());
    }

    @Test
    void aHeifHeaderWithoutSizeIsRefused() {
        byte[] ftypOnly = {0, 0, 0, 16, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0};
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> ImageInfo.read(ftypOnly));
        assertEquals("corrupt HEIC header: no image size (ispe box) in its meta box", e.getMessage());
    }

    @Test
    void deeplyNestedHeifBoxesAreRefusedWithoutRecursingIntoThem() {
        int depth = 200_000;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + 12 * depth);
        b.putInt(16).put("ftypheic".getBytes()).putInt(0);
        for (int i = 0; i < depth; i++) { // meta inside meta inside meta…, each claiming the rest of the file
            b.putInt(12 * (depth - i)).put("meta".getBytes()).putInt(0);
        }
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> ImageInfo.read(b.array()));
        assertEquals("corrupt HEIC header: no image size (ispe box) in its meta box", e.getMessage());
    }

    @Test
    void unsupportedBytesAreRefusedListingWhatIsSupported() {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> ImageInfo.read("%PDF-1.7 ...".getBytes()));
        assertEquals("not a supported image (JPEG, PNG, GIF, BMP, WebP, TIFF, HEIC, AVIF): starts with '%PDF-1.7 ...'", e.getMessage());
    }

    private static void decode(byte[] bytes) throws UndecodableImageException {
        PREPROCESSOR.preprocess(bytes, "image/*", FloatBuffer.allocate(PREPROCESSOR.tensorSize()), 0);
    }

    private static Item item(String name) {
        return items.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
    }
}
