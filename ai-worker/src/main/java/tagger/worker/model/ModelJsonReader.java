package tagger.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import tagger.worker.model.ModelSpec.Activation;
import tagger.imaging.PreprocessSpec;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.worker.model.ModelSpec.Defaults;
import tagger.worker.model.ModelSpec.Input;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.worker.model.ModelSpec.Output;
import tagger.imaging.PreprocessSpec.Resize;

/**
 * Turns the JSON tree of a {@code model.json} into a {@link ModelSpec}, field by field rather than
 * by data binding, so that it can report every problem instead of the first one. Unknown fields are
 * ignored; {@code defaults} is optional (topK 5, minScore 0.0).
 */
final class ModelJsonReader {
    static final Defaults DEFAULTS = new Defaults(5, 0.0);

    private final List<String> problems = new ArrayList<>();

    /** Problems found by the last {@link #read}; the spec it returned is meaningful only when this is empty. */
    List<String> problems() {
        return problems;
    }

    ModelSpec read(JsonNode root) {
        if (!root.isObject()) {
            problem("model.json must be a JSON object, got " + describe(root));
            return null;
        }
        String name = text(root, "", "name");
        String version = text(root, "", "version");
        String file = text(root, "", "file");
        String labels = text(root, "", "labels");
        Input input = input(object(root, "input", true));
        Output output = output(object(root, "output", true));
        return new ModelSpec(name, version, file, labels, input, output, defaults(object(root, "defaults", false)));
    }

    private Input input(JsonNode in) {
        if (in == null) {
            return null;
        }
        String name = text(in, "input.", "name");
        Layout layout = choice(in, "input.", "layout", Layout.class);
        int width = positiveInt(in, "input.", "width", true);
        int height = positiveInt(in, "input.", "height", true);
        ColorOrder colorOrder = choice(in, "input.", "colorOrder", ColorOrder.class);
        Resize resize = choice(in, "input.", "resize", Resize.class);
        boolean crop = resize == Resize.SHORTER_SIDE_THEN_CENTER_CROP;
        int shorterSide = positiveInt(in, "input.", "resizeShorterSide", crop);
        if (crop && shorterSide > 0 && shorterSide < Math.max(width, height)) {
            problem("model.json: input.resizeShorterSide must be >= max(input.width, input.height) = "
                    + Math.max(width, height) + " so the centre crop fits, got " + shorterSide);
        }
        double scale = number(in, "input.", "scale", true, Double.NaN);
        if (scale <= 0) {
            problem("model.json: input.scale must be > 0, got " + in.get("scale"));
        }
        List<Double> mean = triple(in, "mean", false);
        List<Double> std = triple(in, "std", true);
        return new Input(name, new PreprocessSpec(layout, width, height, colorOrder, resize, Math.max(shorterSide, 0), scale, mean, std));
    }

    private Output output(JsonNode out) {
        if (out == null) {
            return null;
        }
        return new Output(text(out, "output.", "name"), choice(out, "output.", "activation", Activation.class));
    }

    private Defaults defaults(JsonNode d) {
        if (d == null) {
            return DEFAULTS;
        }
        int topK = d.has("topK") ? positiveInt(d, "defaults.", "topK", true) : DEFAULTS.topK();
        double minScore = number(d, "defaults.", "minScore", false, DEFAULTS.minScore());
        if (minScore < 0 || minScore > 1) { // NaN (already reported) compares false
            problem("model.json: defaults.minScore must be between 0 and 1, got " + d.get("minScore"));
        }
        return new Defaults(topK, minScore);
    }

    private JsonNode object(JsonNode parent, String field, boolean required) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                missing(field);
            }
            return null;
        }
        if (!node.isObject()) {
            problem("model.json: " + field + " must be an object, got " + describe(node));
            return null;
        }
        return node;
    }

    private String text(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            missing(prefix + field);
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problem("model.json: " + prefix + field + " must be a non-empty string, got " + describe(node));
            return null;
        }
        return node.asText();
    }

    /** Returns the value, 0 when absent and optional, or -1 after recording a problem. */
    private int positiveInt(JsonNode parent, String prefix, String field, boolean required) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                missing(prefix + field);
                return -1;
            }
            return 0;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            problem("model.json: " + prefix + field + " must be an integer, got " + describe(node));
            return -1;
        }
        if (node.intValue() <= 0) {
            problem("model.json: " + prefix + field + " must be > 0, got " + node.intValue());
            return -1;
        }
        return node.intValue();
    }

    /** Returns the value, {@code absent} when absent and optional, or NaN after recording a problem. */
    private double number(JsonNode parent, String prefix, String field, boolean required, double absent) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                missing(prefix + field);
                return Double.NaN;
            }
            return absent;
        }
        if (!node.isNumber()) {
            problem("model.json: " + prefix + field + " must be a number, got " + describe(node));
            return Double.NaN;
        }
        return node.doubleValue();
    }

    /** A per-channel list of 3 numbers; {@code positive} for std, which divides. */
    private List<Double> triple(JsonNode parent, String field, boolean positive) {
        String path = "input." + field;
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            missing(path);
            return null;
        }
        if (!node.isArray()) {
            problem("model.json: " + path + " must be an array of 3 numbers, got " + describe(node));
            return null;
        }
        if (node.size() != 3) {
            problem("model.json: " + path + " must have 3 values (one per colour channel), got " + node.size());
            return null;
        }
        List<Double> values = new ArrayList<>(3);
        for (int i = 0; i < 3; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber()) {
                problem("model.json: " + path + "[" + i + "] must be a number, got " + describe(v));
            } else if (positive && v.doubleValue() <= 0) {
                problem("model.json: " + path + "[" + i + "] must be > 0, got " + v);
            }
            values.add(v.asDouble());
        }
        return List.copyOf(values);
    }

    /** Enum constants are written in JSON as their lower-case, hyphenated names ({@code shorter-side-then-center-crop}), layouts and colour orders upper-case. */
    private <E extends Enum<E>> E choice(JsonNode parent, String prefix, String field, Class<E> type) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            missing(prefix + field);
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (node.isTextual() && node.asText().equals(jsonName(e))) {
                return e;
            }
        }
        problem("model.json: " + prefix + field + " must be one of "
                + Arrays.stream(type.getEnumConstants()).map(ModelJsonReader::jsonName).collect(Collectors.joining(", ", "[", "]"))
                + ", got " + describe(node));
        return null;
    }

    static String jsonName(Enum<?> e) {
        if (e instanceof Layout || e instanceof ColorOrder) {
            return e.name();
        }
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void missing(String path) {
        problem("model.json: " + path + " is required but missing");
    }

    private void problem(String message) {
        problems.add(message);
    }

    /** The JSON text of a bad value, shortened: strings keep their quotes so "" and " " are visible. */
    private static String describe(JsonNode node) {
        String text = node.isContainerNode() ? (node.isArray() ? "an array" : "an object") : node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
