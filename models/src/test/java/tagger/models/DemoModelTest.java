package tagger.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoModelTest {
    private static final int S = DemoModel.SIZE;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static Path dir;
    private static OrtSession session;

    /** A picture: (x, y) to RGB in [0,1], as the worker's preprocessing feeds it (scale 1/255, mean 0, std 1). */
    interface Picture {
        float[] rgb(int x, int y);
    }

    @BeforeAll
    static void openModel(@TempDir Path tmp) throws OrtException {
        dir = tmp;
        DemoModel.write(dir);
        session = ENV.createSession(dir.resolve("model.onnx").toString(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void closeModel() throws OrtException {
        session.close();
    }

    static Picture solid(float r, float g, float b) {
        return (x, y) -> new float[] {r, g, b};
    }

    static float[][] run(OrtSession on, Picture... pictures) throws OrtException {
        FloatBuffer buf = FloatBuffer.allocate(pictures.length * 3 * S * S);
        for (Picture p : pictures) {
            float[] chw = new float[3 * S * S];
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    float[] rgb = p.rgb(x, y);
                    for (int c = 0; c < 3; c++) {
                        chw[c * S * S + y * S + x] = rgb[c];
                    }
                }
            }
            buf.put(chw);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, buf.flip(), new long[] {pictures.length, 3, S, S});
                OrtSession.Result r = on.run(Map.of("input", t))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    /** The {@code k} labels with the highest logits, best first. */
    static List<String> top(Picture p, int k) throws OrtException {
        float[] logits = run(session, p)[0];
        return IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble(i -> -logits[i]))
                .limit(k)
                .map(DemoModel.LABELS::get)
                .toList();
    }

    static double score(Picture p, String label) throws OrtException {
        return 1 / (1 + Math.exp(-run(session, p)[0][DemoModel.LABELS.indexOf(label)]));
    }

    @ParameterizedTest(name = "rgb({0},{1},{2}) is tagged {3} first")
    @CsvSource({
            "1, 0, 0, red",
            "0, 0, 1, blue",
            "0, 1, 0, green",
            "0, 0.5, 0, green",
            "1, 1, 0, yellow",
            "1, 0.5, 0, orange",
            "0.5, 0, 0.5, purple",
            "1, 0.6, 0.75, pink",
            "0.55, 0.3, 0.1, brown"})
    void solidColourIsTaggedWithThatColourFirst(float r, float g, float b, String colour) throws OrtException {
        assertEquals(colour, top(solid(r, g, b), 1).get(0));
        assertTrue(score(solid(r, g, b), colour) > 0.99, "score " + score(solid(r, g, b), colour));
    }

    @Test
    void blackIsTaggedBlackThenDark() throws OrtException {
        assertEquals(List.of("black", "dark"), top(solid(0, 0, 0), 2));
    }

    @Test
    void whiteIsTaggedWhiteThenBright() throws OrtException {
        assertEquals(List.of("white", "bright"), top(solid(1, 1, 1), 2));
    }

    @Test
    void midGrayIsTaggedGrayThenMonochromeAndNeitherDarkNorBright() throws OrtException {
        Picture gray = solid(0.5f, 0.5f, 0.5f);
        assertEquals(List.of("gray", "monochrome"), top(gray, 2));
        assertTrue(score(gray, "dark") < 0.1 && score(gray, "bright") < 0.1);
    }

    @Test
    void rainbowStripesAreTaggedColorfulFirstAndSolidRedIsNotColorful() throws OrtException {
        float[][] stripes = {{1, 0, 0}, {1, 0.5f, 0}, {1, 1, 0}, {0, 0.8f, 0}, {0, 0, 1}, {0.5f, 0, 0.5f}};
        Picture rainbow = (x, y) -> stripes[x * stripes.length / S];
        assertEquals("colorful", top(rainbow, 1).get(0));
        assertTrue(score(rainbow, "colorful") > 0.99, "colorful " + score(rainbow, "colorful"));
        assertTrue(score(solid(1, 0, 0), "colorful") < 0.1, "red colorful " + score(solid(1, 0, 0), "colorful"));
    }

    @Test
    void blackAndWhiteHalvesAreBothColoursAndMonochromeButNotColorful() throws OrtException {
        Picture halves = (x, y) -> x < S / 2 ? new float[] {0, 0, 0} : new float[] {1, 1, 1};
        assertEquals(List.of("black", "monochrome", "white"), top(halves, 3).stream().sorted().toList());
        assertTrue(score(halves, "colorful") < 0.1, "colorful " + score(halves, "colorful"));
    }

    @Test
    void aBatchGivesOneRowOfFifteenLogitsPerPicture() throws OrtException {
        float[][] rows = run(session, solid(1, 0, 0), solid(0, 0, 0), solid(0, 0, 1));
        assertEquals(3, rows.length);
        for (float[] row : rows) {
            assertEquals(15, row.length);
        }
        assertArrayEquals(run(session, solid(0, 0, 0))[0], rows[1], 1e-5f);
    }

    @Test
    void dynamicVariantDeclaresSymbolicBatchAndFixedVariantDeclaresBatchOne(@TempDir Path fixedDir) throws OrtException {
        assertArrayEquals(new long[] {-1, 3, S, S}, shape(session.getInputInfo().get("input").getInfo()));
        assertArrayEquals(new long[] {-1, 15}, shape(session.getOutputInfo().get("output").getInfo()));
        DemoModel.write(fixedDir, BatchDimension.FIXED_ONE);
        try (OrtSession fixed = ENV.createSession(fixedDir.resolve("model.onnx").toString(), new OrtSession.SessionOptions())) {
            assertArrayEquals(new long[] {1, 3, S, S}, shape(fixed.getInputInfo().get("input").getInfo()));
            assertArrayEquals(new long[] {1, 15}, shape(fixed.getOutputInfo().get("output").getInfo()));
            assertArrayEquals(run(session, solid(0, 0, 1))[0], run(fixed, solid(0, 0, 1))[0], 1e-6f);
        }
    }

    @Test
    void directoryHoldsLabelsInOutputOrderAndAModelJsonForASigmoidTagger() throws IOException {
        assertEquals(DemoModel.LABELS, Files.readAllLines(dir.resolve("labels.txt")));
        String json = Files.readString(dir.resolve("model.json"));
        for (String line : List.of("\"name\": \"demo-colors\"", "\"file\": \"model.onnx\"", "\"labels\": \"labels.txt\"",
                "\"width\": 64", "\"height\": 64", "\"resize\": \"stretch\"", "\"scale\": 0.00392156862745098",
                "\"mean\": [0.0, 0.0, 0.0]", "\"std\": [1.0, 1.0, 1.0]", "\"activation\": \"sigmoid\"", "\"topK\": 5",
                "\"minScore\": 0.1")) {
            assertTrue(json.contains(line), line + " missing in\n" + json);
        }
    }

    private static long[] shape(Object info) {
        return ((TensorInfo) info).getShape();
    }
}
