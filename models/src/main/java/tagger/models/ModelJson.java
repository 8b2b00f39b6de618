package tagger.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code model.json} of a generated model directory (format in DESIGN.md), rendered by hand so
 * the bytes are stable and this module needs no JSON library. Layout is always NCHW and colour
 * order RGB: every generator here builds that kind of graph.
 *
 * @param resize            {@code stretch} or {@code shorter-side-then-center-crop}
 * @param resizeShorterSide written only for {@code shorter-side-then-center-crop}
 * @param activation        {@code softmax}, {@code sigmoid} or {@code none}
 */
record ModelJson(
        String name,
        String version,
        int width,
        int height,
        String resize,
        int resizeShorterSide,
        double scale,
        double[] mean,
        double[] std,
        String activation,
        int topK,
        double minScore) {

    static final String FILE = "model.json";
    static final String ONNX_FILE = "model.onnx";
    static final String LABELS_FILE = "labels.txt";

    String render() {
        String shorterSide = resize.equals("stretch") ? "" : "\n    \"resizeShorterSide\": " + resizeShorterSide + ",";
        return """
                {
                  "name": "%s",
                  "version": "%s",
                  "file": "%s",
                  "labels": "%s",
                  "input": {
                    "name": "input",
                    "layout": "NCHW",
                    "width": %d,
                    "height": %d,
                    "colorOrder": "RGB",
                    "resize": "%s",%s
                    "scale": %s,
                    "mean": %s,
                    "std": %s
                  },
                  "output": {
                    "name": "output",
                    "activation": "%s"
                  },
                  "defaults": {
                    "topK": %d,
                    "minScore": %s
                  }
                }
                """.formatted(name, version, ONNX_FILE, LABELS_FILE, width, height, resize, shorterSide,
                number(scale), array(mean), array(std), activation, topK, number(minScore));
    }

    private static String array(double[] values) {
        return Arrays.stream(values).mapToObj(ModelJson::number).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Shortest round-tripping decimal; never locale-dependent. */
    private static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}
