package tagger.testkit;

/**
 * The sample images of {@link tagger.fixtures.SampleImages} under the name tests have always used:
 * {@code SampleImages.png(...)} and the rest are inherited.
 */
public final class SampleImages extends tagger.fixtures.SampleImages {
    private SampleImages() {
    }
}
