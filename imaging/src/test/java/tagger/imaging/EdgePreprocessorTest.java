package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;
import tagger.testkit.SampleImages;

class EdgePreprocessorTest {

    private static final long CAP = 40_000_000;
    private static final PreprocessSpec MOBILENET = new PreprocessSpec(Layout.NCHW, 224, 224, ColorOrder.RGB,
            Resize.SHORTER_SIDE_THEN_CENTER_CROP, 256, 1 / 255.0, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));

    private static FloatBuffer tensor(Preprocessor p, byte[] body, String contentType) throws UndecodableImageException {
        FloatBuffer t = FloatBuffer.allocate(p.tensorSize());
        p.preprocess(body, contentType, t, 0);
        return t;
    }

    @Test
    void aPayloadGivesTheWorkerTheTensorItWouldHaveMadeFromTheOriginal() throws Exception {
        for (TurboJpeg turbo : new TurboJpeg[] {TurboJpeg.shared().orElse(null), null}) {
            byte[] photo = SampleImages.jpeg(SampleImages.photoLike(1600, 1200, 7));
            Preprocessor worker = new Preprocessor(MOBILENET, CAP, turbo);
            EdgePayload payload = new EdgePreprocessor(MOBILENET.pixels(), CAP, turbo).preprocess(photo);

            assertEquals("application/vnd.tagger.pixels+jpeg; spec=224x224-crop256", payload.contentType());
            assertEquals(1600, payload.sourceWidth());
            assertTrue(payload.body().length <= 32 * 1024, payload.body().length + " bytes");
            double psnr = TensorPsnr.of(tensor(worker, photo, "image/jpeg"), tensor(worker, payload.body(), payload.contentType()), MOBILENET);
            assertTrue(psnr >= 40, "PSNR " + psnr + " dB with " + (turbo == null ? "ImageIO" : "libjpeg-turbo"));
        }
    }

    @Test
    void aWorkerRefusesAPayloadMadeForAnotherModelInputAndSaysForWhich() throws Exception {
        byte[] photo = SampleImages.jpeg(SampleImages.photoLike(640, 480, 8));
        EdgePayload payload = new EdgePreprocessor(new PixelSpec(299, 299, Resize.STRETCH, 0), CAP, null).preprocess(photo);
        Preprocessor worker = new Preprocessor(MOBILENET, CAP, null);

        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> tensor(worker, payload.body(), payload.contentType()));
        assertEquals(ErrorCode.PREPROCESS_MISMATCH, e.code());
        assertEquals("the api-server preprocessed this image for 299x299-stretch, this worker's model needs 224x224-crop256"
                + " (a model rollout overtook the message; submit the image again)", e.getMessage());
    }

    @Test
    void modelsThatDifferOnlyInNormalisationShareOnePixelSpec() {
        PreprocessSpec bgrCaffe = new PreprocessSpec(Layout.NHWC, 224, 224, ColorOrder.BGR,
                Resize.SHORTER_SIDE_THEN_CENTER_CROP, 256, 1.0, List.of(103.9, 116.8, 123.7), List.of(1.0, 1.0, 1.0));
        assertEquals(MOBILENET.pixels(), bgrCaffe.pixels());
        assertEquals("224x224-crop256", bgrCaffe.pixels().fingerprint());
    }

    @Test
    void fingerprintsParseBackAndNonsenseIsRefusedWithTheText() {
        assertEquals(new PixelSpec(299, 299, Resize.STRETCH, 0), PixelSpec.parse("299x299-stretch"));
        assertEquals(MOBILENET.pixels(), PixelSpec.parse("224x224-crop256"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelSpec.parse("224-crop"));
        assertEquals("not a pixel spec fingerprint (like 224x224-crop256 or 299x299-stretch): '224-crop'", e.getMessage());
    }

    @Test
    void anUndecodableOriginalFailsAtTheEdgeAsItWouldHaveAtTheWorker() {
        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> new EdgePreprocessor(MOBILENET.pixels(), CAP, null).preprocess(new byte[] {1, 2, 3}));
        assertEquals(ErrorCode.UNDECODABLE, e.code());
    }
}
