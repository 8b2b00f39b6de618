package tagger.worker.model;

import java.util.List;

/**
 * The parsed {@code model.json} of a model directory (format in DESIGN.md): what the model expects
 * as input, how to read its output, and the defaults for requests that set none.
 */
public record ModelSpec(
        String name,
        String version,
        String file,
        String labels,
        Input input,
        Output output,
        Defaults defaults) {

    public enum Layout { NCHW, NHWC }

    public enum ColorOrder { RGB, BGR }

    /** {@code stretch} or {@code shorter-side-then-center-crop} in JSON. */
    public enum Resize { STRETCH, SHORTER_SIDE_THEN_CENTER_CROP }

    /** {@code softmax}, {@code sigmoid} or {@code none} in JSON. */
    public enum Activation { SOFTMAX, SIGMOID, NONE }

    /**
     * Input tensor description. Pixel value fed to the model = (pixel × scale − mean[c]) / std[c],
     * with c in {@code colorOrder}.
     *
     * @param resizeShorterSide for {@code SHORTER_SIDE_THEN_CENTER_CROP}: the shorter side is resized
     *                          to this before the centre crop of width × height
     */
    public record Input(
            String name,
            Layout layout,
            int width,
            int height,
            ColorOrder colorOrder,
            Resize resize,
            int resizeShorterSide,
            double scale,
            List<Double> mean,
            List<Double> std) {

        /** Floats per image: 3 × width × height. */
        public int tensorSize() {
            return 3 * width * height;
        }
    }

    public record Output(String name, Activation activation) {
    }

    public record Defaults(int topK, double minScore) {
    }
}
