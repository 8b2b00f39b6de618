package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tagger.testkit.PhotoCorpus;
import tagger.testkit.PhotoCorpus.Item;
import tagger.testkit.PhotoCorpus.Kind;
import tagger.testkit.SampleImages;

/**
 * The generated photo corpus through the real preprocessor: every orientation gives the upright
 * picture's tensor, every colour encoding its colours, every format decodes.
 */
class PhotoFormatsTest {

    private static final PreprocessSpec SPEC = PhotoFormatsTestSpec.SPEC;
    private static final Preprocessor PREPROCESSOR = new Preprocessor(SPEC, 50_000_000);
    /** Every JPEG decode path: libjpeg-turbo (when installed) and ImageIO. */
    private static final List<Preprocessor> JPEG_PATHS = TurboJpeg.shared().isPresent()
            ? List.of(PREPROCESSOR, new Preprocessor(SPEC, 50_000_000, null)) : List.of(PREPROCESSOR);
    private static BufferedImage upright;
    private static PhotoCorpus.Corpus corpus;

    @BeforeAll
    static void generate() {
        upright = PhotoCorpus.upright(640, 480);
        corpus = PhotoCorpus.generate(upright);
    }

    @Test
    void theCorpusHasEveryVariantTheToolsCanMakeHere() {
        // heif-enc (libheif-examples), convert (imagemagick) and img2webp (webp) are installed by ./tagger test
        assertEquals(List.of(), corpus.missing());
        assertEquals(22, corpus.items().size(), names());
    }

    @Test
    void everyOrientationGivesTheUprightPicturesTensorOnEveryJpegPath() throws Exception {
        assertEquals(TurboJpeg.shared().isPresent() ? "turbojpeg" : "imageio", PREPROCESSOR.jpegDecoder());
        for (Preprocessor p : JPEG_PATHS) {
            float[] expected = tensor(p, SampleImages.jpeg(upright, 0.92f));
            for (Item item : items(Kind.ORIENTED)) {
                double diff = meanAbsDiff(expected, tensor(p, item.bytes()));
                assertTrue(diff < 0.02, item.name() + " differs from upright by " + diff + " on average (limit 0.02) with "
                        + p.jpegDecoder());
            }
        }
    }

    @Test
    void theEdgePathSendsTheUprightPicture() throws Exception {
        // the api-server decodes, orients and resizes; the worker only normalises the payload
        EdgePreprocessor edge = new EdgePreprocessor(SPEC.pixels(), 50_000_000, TurboJpeg.shared().orElse(null));
        float[] expected = tensor(SampleImages.jpeg(upright, 0.92f));
        for (Item item : items(Kind.ORIENTED)) {
            EdgePayload payload = edge.preprocess(item.bytes());
            FloatBuffer out = FloatBuffer.allocate(SPEC.tensorSize());
            PREPROCESSOR.preprocess(payload.body(), payload.contentType(), out, 0);
            double diff = meanAbsDiff(expected, out.array());
            assertTrue(diff < 0.025, item.name() + " through the edge path differs from upright by " + diff);
        }
        double[] colour = meanColour(tensor(SampleImages.png(upright)));
        EdgePayload p3 = edge.preprocess(item("display-p3.jpg").bytes());
        FloatBuffer out = FloatBuffer.allocate(SPEC.tensorSize());
        PREPROCESSOR.preprocess(p3.body(), p3.contentType(), out, 0);
        assertTrue(maxDiff(colour, meanColour(out.array())) < 0.015, "P3 through the edge path keeps its colours");
    }

    @Test
    void withoutItsOrientationATurnedPhotoIsFarFromUpright() throws Exception {
        // the comparison above could not pass by accident: stored pixels shown as they are differ a lot
        float[] expected = tensor(SampleImages.jpeg(upright, 0.92f));
        for (int o = 2; o <= 8; o++) {
            double diff = meanAbsDiff(expected, tensor(SampleImages.jpeg(PhotoCorpus.stored(upright, o), 0.92f)));
            assertTrue(diff > 0.06, "orientation " + o + " without EXIF differs only by " + diff);
        }
    }

    @Test
    void colourVariantsKeepTheOriginalsMeanColourOnEveryJpegPath() throws Exception {
        double[] expected = meanColour(tensor(SampleImages.png(upright)));
        for (Preprocessor p : JPEG_PATHS) {
            for (Item item : items(Kind.COLOUR)) {
                // CMYK: the corpus separates naively, the decoder converts through a print profile
                assertMeanColour(p, expected, item, item.name().startsWith("cmyk") || item.name().startsWith("ycck") ? 0.05 : 0.012);
            }
        }
    }

    @Test
    void otherFormatsKeepTheOriginalsMeanColourAndFirstFrame() throws Exception {
        double[] expected = meanColour(tensor(SampleImages.png(upright)));
        for (Item item : items(Kind.FORMAT)) {
            assertMeanColour(expected, item, 0.03);
        }
    }

    @Test
    void transparentPartsAreShownOnWhite() throws Exception {
        double[] expected = meanColour(tensor(SampleImages.png(PhotoCorpus.onWhite(upright))));
        double luma = 0.299 * expected[0] + 0.587 * expected[1] + 0.114 * expected[2];
        for (Item item : items(Kind.TRANSPARENT)) {
            // gray-alpha holds the luma of the picture: compare with the luma of the expectation
            boolean gray = item.name().startsWith("gray");
            assertMeanColour(gray ? new double[] {luma, luma, luma} : expected, item, item.name().startsWith("palette") ? 0.03 : 0.01);
        }
    }

    @Test
    void wideGamutProfilesAreConvertedNotIgnored() throws Exception {
        // ignoring the profile would leave the P3/Adobe RGB numbers, which are visibly desaturated
        double[] expected = meanColour(tensor(SampleImages.png(upright)));
        for (String name : List.of("adobe-rgb.jpg", "display-p3.jpg")) {
            Item item = item(name);
            byte[] stripped = EmbeddedMetadataTest.withoutIcc(item.bytes());
            double off = maxDiff(expected, meanColour(tensor(stripped)));
            assertTrue(off > 0.015, name + " without its profile is only " + off + " off");
        }
    }

    @Test
    void everyVariantReportsItsFormat() throws Exception {
        Map<String, String> formats = new TreeMap<>();
        for (Item item : corpus.items()) {
            formats.put(item.name(), PREPROCESSOR.decode(item.bytes(), item.contentType()).format());
        }
        assertEquals("HEIC", formats.get("photo.heic"));
        assertEquals("AVIF", formats.get("photo.avif"));
        assertEquals("TIFF", formats.get("photo.tiff"));
        assertEquals("JPEG", formats.get("cmyk-adobe.jpg"));
        assertEquals("WebP", formats.get("animated.webp"));
    }

    private static void assertMeanColour(double[] expected, Item item, double tolerance) throws Exception {
        assertMeanColour(PREPROCESSOR, expected, item, tolerance);
    }

    private static void assertMeanColour(Preprocessor p, double[] expected, Item item, double tolerance) throws Exception {
        double[] actual = meanColour(tensor(p, item.bytes()));
        double off = maxDiff(expected, actual);
        assertTrue(off <= tolerance, String.format(Locale.ROOT, "%s mean colour %.3f %.3f %.3f, expected %.3f %.3f %.3f (off %.3f, limit %.3f)",
                item.name(), actual[0], actual[1], actual[2], expected[0], expected[1], expected[2], off, tolerance));
    }

    static float[] tensor(byte[] image) throws UndecodableImageException {
        return tensor(PREPROCESSOR, image);
    }

    static float[] tensor(Preprocessor p, byte[] image) throws UndecodableImageException {
        FloatBuffer out = FloatBuffer.allocate(SPEC.tensorSize());
        p.preprocess(image, "application/octet-stream", out, 0);
        return out.array();
    }

    static double[] meanColour(float[] nchw) {
        int plane = nchw.length / 3;
        double[] mean = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                mean[c] += nchw[c * plane + i];
            }
            mean[c] /= plane;
        }
        return mean;
    }

    static double meanAbsDiff(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    private static double maxDiff(double[] a, double[] b) {
        return Math.max(Math.abs(a[0] - b[0]), Math.max(Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])));
    }

    private static List<Item> items(Kind kind) {
        List<Item> items = corpus.items().stream().filter(i -> i.kind() == kind).toList();
        if (items.isEmpty()) {
            fail("no " + kind + " items in the corpus: " + names());
        }
        return items;
    }

    private static Item item(String name) {
        return corpus.items().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in the corpus: " + names()));
    }

    private static String names() {
        return corpus.items().stream().map(Item::name).collect(Collectors.joining(", "));
    }
}
