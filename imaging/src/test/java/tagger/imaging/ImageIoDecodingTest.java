package tagger.imaging;

/** Every {@link ImageDecodingTest} case again on the fallback path, as when libturbojpeg is missing. */
class ImageIoDecodingTest extends ImageDecodingTest {

    @Override
    TurboJpeg turbo() {
        return null;
    }
}
