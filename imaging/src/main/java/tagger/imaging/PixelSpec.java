package tagger.imaging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tagger.imaging.PreprocessSpec.Resize;

/**
 * What an edge payload's pixels are: 8-bit RGB, exactly width × height, after the model's resize
 * and crop. Everything else in a {@link PreprocessSpec} (layout, colour order, scale, mean, std)
 * is applied by the worker, so two models with the same PixelSpec can share payloads and a payload
 * is right for a worker exactly when the fingerprints match.
 */
public record PixelSpec(int width, int height, Resize resize, int resizeShorterSide) {

    private static final Pattern FINGERPRINT = Pattern.compile("(\\d{1,5})x(\\d{1,5})-(?:stretch|crop(\\d{1,5}))");

    public PixelSpec {
        if (width < 1 || height < 1 || resize == null) {
            throw new IllegalArgumentException("pixel spec needs a size of at least 1x1 and a resize mode, got "
                    + width + "x" + height + " " + resize);
        }
        resizeShorterSide = resize == Resize.STRETCH ? 0 : resizeShorterSide;
    }

    /** Short and readable, e.g. {@code 224x224-crop256} or {@code 299x299-stretch}: travels in messages and presence. */
    public String fingerprint() {
        return width + "x" + height + "-" + (resize == Resize.STRETCH ? "stretch" : "crop" + resizeShorterSide);
    }

    /**
     * The spec a fingerprint names.
     *
     * @throws IllegalArgumentException quoting the text when it is not a fingerprint
     */
    public static PixelSpec parse(String fingerprint) {
        Matcher m = fingerprint == null ? null : FINGERPRINT.matcher(fingerprint);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a pixel spec fingerprint (like 224x224-crop256 or 299x299-stretch): '"
                    + fingerprint + "'");
        }
        boolean crop = m.group(3) != null;
        return new PixelSpec(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                crop ? Resize.SHORTER_SIDE_THEN_CENTER_CROP : Resize.STRETCH, crop ? Integer.parseInt(m.group(3)) : 0);
    }

    /** Resizing to these pixels with no normalisation: scale 1, mean 0, std 1, RGB, NHWC. */
    PreprocessSpec asIdentityPreprocessing() {
        return new PreprocessSpec(PreprocessSpec.Layout.NHWC, width, height, PreprocessSpec.ColorOrder.RGB, resize,
                resizeShorterSide, 1.0, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));
    }

    @Override
    public String toString() {
        return fingerprint();
    }
}
