package tagger.models;

import static tagger.models.OnnxGraph.integer;
import static tagger.models.OnnxGraph.ints;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import java.util.List;

/**
 * The built-in demo model: a colour and tone tagger made of plain ONNX operators, so the whole
 * system runs offline and its answers can be checked by eye (a red picture is tagged {@code red}).
 *
 * <p>Graph, for a float[N,3,64,64] RGB input in [0,1]:
 * <ol>
 *   <li>colour coverage f_k: a 1×1 Conv scores every pixel against 11 colour prototypes c_k as
 *       T·(2x·c_k − ‖c_k‖²), a Softmax over the colour axis turns the scores into soft
 *       assignments, GlobalAveragePool averages them into the fraction of the picture of each colour.
 *       This equals a softmax over −T·‖x − c_k‖²: the ‖x‖² term is the same for every k, so it
 *       cancels and is never computed;</li>
 *   <li>mean luminance L (1×1 Conv with the Rec. 601 weights, then GlobalAveragePool);</li>
 *   <li>mean chroma S (ReduceMax − ReduceMin over the channels, then GlobalAveragePool);</li>
 *   <li>vividness V = D·S, where D = 1 − Σf_k² is the colour diversity (Gini-Simpson index):
 *       many colours <em>and</em> saturated ones;</li>
 *   <li>a Gemm with hand-set weights maps [f_0..f_10, L, S, V] to 15 logits of the form
 *       gain·(feature − threshold), so each tag scores exactly 0.5 after the sigmoid at its threshold.</li>
 * </ol>
 */
public final class DemoModel {
    public static final String NAME = "demo-colors";
    public static final String VERSION = "1";
    /** Output order of the model: line i of labels.txt. */
    public static final List<String> LABELS = List.of(
            "red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white", "gray",
            "dark", "bright", "colorful", "monochrome");
    /** Input width and height in pixels. */
    public static final int SIZE = 64;

    /** RGB prototypes of the first 11 labels, in label order. */
    private static final float[][] PROTOTYPES = {
            {0.85f, 0.10f, 0.10f}, {1.00f, 0.55f, 0.00f}, {0.95f, 0.90f, 0.10f}, {0.10f, 0.70f, 0.20f},
            {0.10f, 0.25f, 0.90f}, {0.50f, 0.15f, 0.65f}, {1.00f, 0.60f, 0.75f}, {0.50f, 0.30f, 0.12f},
            {0.05f, 0.05f, 0.05f}, {0.95f, 0.95f, 0.95f}, {0.50f, 0.50f, 0.50f}};
    private static final int COLOURS = PROTOTYPES.length;
    /** Inverse softmax temperature per unit of squared RGB distance: sharp enough that a pixel near one prototype counts ~fully for it. */
    private static final float TEMPERATURE = 30f;
    private static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    // tag = sigmoid(gain * (feature - threshold))
    private static final float COVERAGE_GAIN = 12f;
    private static final float COVERAGE_THRESHOLD = 0.25f;
    private static final float LUMA_GAIN = 15f;
    private static final float DARK_BELOW = 0.25f;
    private static final float BRIGHT_ABOVE = 0.7f;
    private static final float VIVID_GAIN = 12f;
    private static final float COLORFUL_ABOVE = 0.3f;
    private static final float CHROMA_GAIN = 20f;
    private static final float MONOCHROME_BELOW = 0.15f;

    /**
     * minScore 0.1, not 0: the sigmoid leaves absent tags near 0.05 (gain × threshold below zero),
     * so 0.1 drops that floor while keeping minor colours that cover a few percent of the picture.
     */
    private static final double MIN_SCORE = 0.1;

    private DemoModel() {
    }

    /** Writes the demo model directory with a dynamic batch dimension. */
    public static GeneratedModel write(Path dir) {
        return write(dir, BatchDimension.DYNAMIC);
    }

    /** Writes the demo model directory; {@link BatchDimension#FIXED_ONE} gives the variant with input [1,3,64,64]. */
    public static GeneratedModel write(Path dir, BatchDimension batch) {
        OnnxGraph graph = new OnnxGraph(NAME);
        ModelProto model = build(graph, batch);
        ModelJson json = new ModelJson(NAME, VERSION, SIZE, SIZE, "stretch", 0, 1.0 / 255,
                new double[] {0, 0, 0}, new double[] {1, 1, 1}, "sigmoid", 5, MIN_SCORE);
        return ModelDirectoryWriter.write(dir, json, model, LABELS, graph.parameters());
    }

    private static ModelProto build(OnnxGraph g, BatchDimension batch) {
        String x = g.input("input", batch, 3, SIZE, SIZE);

        float[] protoWeights = new float[COLOURS * 3];
        float[] protoBias = new float[COLOURS];
        for (int k = 0; k < COLOURS; k++) {
            for (int c = 0; c < 3; c++) {
                protoWeights[k * 3 + c] = 2 * TEMPERATURE * PROTOTYPES[k][c];
                protoBias[k] -= TEMPERATURE * PROTOTYPES[k][c] * PROTOTYPES[k][c];
            }
        }
        String scores = g.node("Conv", "colour_scores",
                List.of(x, g.weights("prototypes", protoWeights, COLOURS, 3, 1, 1), g.weights("prototype_bias", protoBias, COLOURS)),
                ints("kernel_shape", 1, 1));
        String assignment = g.node("Softmax", "colour_assignment", List.of(scores), integer("axis", 1));
        String coverage = g.node("GlobalAveragePool", "coverage", List.of(assignment));

        String luma = g.node("Conv", "luma_map", List.of(x, g.weights("luma_weights", LUMA, 1, 3, 1, 1)),
                ints("kernel_shape", 1, 1));
        String meanLuma = g.node("GlobalAveragePool", "luma", List.of(luma));

        String max = g.node("ReduceMax", "channel_max", List.of(x), ints("axes", 1), integer("keepdims", 1));
        String min = g.node("ReduceMin", "channel_min", List.of(x), ints("axes", 1), integer("keepdims", 1));
        String chroma = g.node("GlobalAveragePool", "chroma", List.of(g.node("Sub", "chroma_map", List.of(max, min))));

        String squares = g.node("Mul", "coverage_squared", List.of(coverage, coverage));
        String simpson = g.node("ReduceSum", "simpson", List.of(squares, g.int64s("colour_axis", new long[] {1}, 1)),
                integer("keepdims", 1));
        String diversity = g.node("Sub", "diversity", List.of(g.scalar("one", 1f), simpson));
        String vividness = g.node("Mul", "vividness", List.of(diversity, chroma));

        String features = g.node("Concat", "features", List.of(coverage, meanLuma, chroma, vividness), integer("axis", 1));
        String flat = g.node("Flatten", "features_flat", List.of(features), integer("axis", 1));
        float[][] head = headWeights();
        g.nodeNamed("Gemm", "output", List.of(flat, g.weights("head_weights", head[0], LABELS.size(), COLOURS + 3),
                g.weights("head_bias", head[1], LABELS.size())), integer("transB", 1));
        g.output("output", batch, LABELS.size());
        return g.toModel("tagger demo: colour and tone tags from colour-prototype coverage, luminance and chroma");
    }

    /** Rows = labels, columns = [f_0..f_10, L, S, V]; returns {weights (row-major), bias}. */
    private static float[][] headWeights() {
        int features = COLOURS + 3;
        int luma = COLOURS;
        int chroma = COLOURS + 1;
        int vivid = COLOURS + 2;
        float[] w = new float[LABELS.size() * features];
        float[] b = new float[LABELS.size()];
        for (int k = 0; k < COLOURS; k++) {
            w[k * features + k] = COVERAGE_GAIN;
            b[k] = -COVERAGE_GAIN * COVERAGE_THRESHOLD;
        }
        int dark = LABELS.indexOf("dark");
        w[dark * features + luma] = -LUMA_GAIN;
        b[dark] = LUMA_GAIN * DARK_BELOW;
        int bright = LABELS.indexOf("bright");
        w[bright * features + luma] = LUMA_GAIN;
        b[bright] = -LUMA_GAIN * BRIGHT_ABOVE;
        int colorful = LABELS.indexOf("colorful");
        w[colorful * features + vivid] = VIVID_GAIN;
        b[colorful] = -VIVID_GAIN * COLORFUL_ABOVE;
        int monochrome = LABELS.indexOf("monochrome");
        w[monochrome * features + chroma] = -CHROMA_GAIN;
        b[monochrome] = CHROMA_GAIN * MONOCHROME_BELOW;
        return new float[][] {w, b};
    }
}
