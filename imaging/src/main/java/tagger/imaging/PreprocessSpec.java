package tagger.imaging;

import java.util.ArrayList;
import java.util.List;

/**
 * How a model wants its pixels: the {@code input} block of {@code model.json} minus the tensor's
 * name. Pixel value fed to the model = (pixel × scale − mean[c]) / std[c], with c in
 * {@code colorOrder}.
 *
 * @param resizeShorterSide for {@code SHORTER_SIDE_THEN_CENTER_CROP}: the shorter side is resized
 *                          to this before the centre crop of width × height
 */
public record PreprocessSpec(
        Layout layout,
        int width,
        int height,
        ColorOrder colorOrder,
        Resize resize,
        int resizeShorterSide,
        double scale,
        List<Double> mean,
        List<Double> std) {

    public enum Layout { NCHW, NHWC }

    public enum ColorOrder { RGB, BGR }

    /** {@code stretch} or {@code shorter-side-then-center-crop} in JSON. */
    public enum Resize { STRETCH, SHORTER_SIDE_THEN_CENTER_CROP }

    /** Floats per image: 3 × width × height. */
    public int tensorSize() {
        return 3 * width * height;
    }

    /** The part of this spec an edge payload's pixels depend on. */
    public PixelSpec pixels() {
        return new PixelSpec(width, height, resize, resizeShorterSide);
    }

    /** The same normalisation and layout for pixels that are already width × height: no resize, no crop. */
    PreprocessSpec alreadySized() {
        return new PreprocessSpec(layout, width, height, colorOrder, Resize.STRETCH, 0, scale, mean, std);
    }

    /** Every reason this spec cannot drive preprocessing; empty when it can. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (width < 1 || height < 1) {
            problems.add("input.width and input.height must be at least 1, got " + width + "x" + height);
        }
        if (layout == null || colorOrder == null || resize == null) {
            problems.add("input.layout, input.colorOrder and input.resize are required, got "
                    + layout + ", " + colorOrder + ", " + resize);
        }
        if (resize == Resize.SHORTER_SIDE_THEN_CENTER_CROP && resizeShorterSide < Math.max(width, height)) {
            problems.add("input.resizeShorterSide must be at least max(width, height) = "
                    + Math.max(width, height) + " for shorter-side-then-center-crop, got " + resizeShorterSide);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            problems.add("input.scale must be a positive number, got " + scale);
        }
        if (mean == null || mean.size() != 3 || mean.stream().anyMatch(v -> v == null || !Double.isFinite(v))) {
            problems.add("input.mean must have 3 finite values, got " + mean);
        }
        if (std == null || std.size() != 3 || std.stream().anyMatch(v -> v == null || !(v > 0) || Double.isInfinite(v))) {
            problems.add("input.std must have 3 positive values, got " + std);
        }
        return problems;
    }
}
