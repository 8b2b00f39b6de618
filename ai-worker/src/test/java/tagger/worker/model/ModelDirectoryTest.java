package tagger.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.models.DemoModel;
import tagger.worker.model.ModelSpec.Activation;
import tagger.imaging.PreprocessSpec;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

class ModelDirectoryTest {
    /** A valid model.json in the shape of DESIGN.md's example; tests break one piece at a time. */
    private static final String ZOO_STYLE = """
            {
              "name": "mobilenetv2", "version": "12-int8",
              "file": "model.onnx", "labels": "labels.txt",
              "input":  { "name": "input", "layout": "NCHW", "width": 224, "height": 224,
                          "colorOrder": "RGB", "resize": "shorter-side-then-center-crop",
                          "resizeShorterSide": 256, "scale": 0.00392156862745098,
                          "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] },
              "output": { "name": "output", "activation": "softmax" },
              "defaults": { "topK": 5, "minScore": 0.0 }
            }
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.write(dir.resolve("model.onnx"), new byte[] {1});
        Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    }

    private List<String> problemsOf(String json) throws IOException {
        Files.writeString(dir.resolve("model.json"), json);
        return assertThrows(InvalidModelException.class, () -> ModelDirectory.load(dir)).problems();
    }

    /** ZOO_STYLE with {@code from} replaced by {@code to}. */
    private static String zoo(String from, String to) {
        assertTrue(ZOO_STYLE.contains(from), from);
        return ZOO_STYLE.replace(from, to);
    }

    @Test
    void loadsTheDesignExampleWithLowerCaseEnumNames() throws IOException {
        Files.writeString(dir.resolve("model.json"), ZOO_STYLE);
        ModelDirectory model = ModelDirectory.load(dir);
        PreprocessSpec in = model.spec().input().preprocess();
        assertEquals("mobilenetv2", model.spec().name());
        assertEquals("12-int8", model.spec().version());
        assertEquals(Layout.NCHW, in.layout());
        assertEquals(ColorOrder.RGB, in.colorOrder());
        assertEquals(Resize.SHORTER_SIDE_THEN_CENTER_CROP, in.resize());
        assertEquals(256, in.resizeShorterSide());
        assertEquals(List.of(0.485, 0.456, 0.406), in.mean());
        assertEquals(List.of(0.229, 0.224, 0.225), in.std());
        assertEquals(1.0 / 255, in.scale(), 1e-15);
        assertEquals(Activation.SOFTMAX, model.spec().output().activation());
        assertEquals(new ModelSpec.Defaults(5, 0.0), model.spec().defaults());
        assertEquals(List.of("cat", "dog"), model.labels());
        assertEquals(dir.resolve("model.onnx"), model.modelFile());
    }

    @Test
    void loadsTheGeneratedDemoModel(@TempDir Path demo) {
        DemoModel.write(demo);
        ModelDirectory model = ModelDirectory.load(demo);
        assertEquals(DemoModel.LABELS, model.labels());
        assertEquals(Resize.STRETCH, model.spec().input().preprocess().resize());
        assertEquals(Activation.SIGMOID, model.spec().output().activation());
        assertEquals(64, model.spec().input().preprocess().width());
        assertEquals(new ModelSpec.Defaults(5, 0.1), model.spec().defaults());
    }

    @Test
    void unknownFieldsAreIgnoredAndDefaultsAreOptional() throws IOException {
        Files.writeString(dir.resolve("model.json"), zoo("\"defaults\": { \"topK\": 5, \"minScore\": 0.0 }",
                "\"license\": \"apache-2.0\", \"notes\": {\"source\": \"zoo\"}"));
        assertEquals(new ModelSpec.Defaults(5, 0.0), ModelDirectory.load(dir).spec().defaults());
    }

    @Test
    void nonPositiveWidthNamesTheFieldAndValue() throws IOException {
        assertEquals(List.of("model.json: input.width must be > 0, got -3"), problemsOf(zoo("\"width\": 224", "\"width\": -3")));
    }

    @Test
    void meanWithOneValueIsRejected() throws IOException {
        assertEquals(List.of("model.json: input.mean must have 3 values (one per colour channel), got 1"),
                problemsOf(zoo("\"mean\": [0.485, 0.456, 0.406]", "\"mean\": [0.5]")));
    }

    @Test
    void zeroStdWouldDivideByZeroAndIsRejected() throws IOException {
        assertEquals(List.of("model.json: input.std[1] must be > 0, got 0"),
                problemsOf(zoo("[0.229, 0.224, 0.225]", "[0.229, 0, 0.225]")));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() throws IOException {
        assertEquals(List.of("model.json: input.resize must be one of [stretch, shorter-side-then-center-crop], got \"fit\""),
                problemsOf(zoo("\"resize\": \"shorter-side-then-center-crop\"", "\"resize\": \"fit\"")));
        assertEquals(List.of("model.json: output.activation must be one of [softmax, sigmoid, none], got \"relu\""),
                problemsOf(zoo("\"softmax\"", "\"relu\"")));
        assertEquals(List.of("model.json: input.layout must be one of [NCHW, NHWC], got \"nchw\""),
                problemsOf(zoo("\"NCHW\"", "\"nchw\"")));
        assertEquals(List.of("model.json: input.colorOrder must be one of [RGB, BGR], got 3"),
                problemsOf(zoo("\"RGB\"", "3")));
    }

    @Test
    void missingRequiredFieldsAreEachNamed() throws IOException {
        String json = zoo("\"name\": \"mobilenetv2\", ", "")
                .replace("\"output\": { \"name\": \"output\", \"activation\": \"softmax\" },", "")
                .replace("\"height\": 224,", "");
        assertEquals(List.of(
                "model.json: name is required but missing",
                "model.json: input.height is required but missing",
                "model.json: output is required but missing"), problemsOf(json));
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndWhatWasFound() throws IOException {
        String json = zoo("\"width\": 224", "\"width\": \"224\"")
                .replace("\"scale\": 0.00392156862745098", "\"scale\": \"1/255\"")
                .replace("\"version\": \"12-int8\"", "\"version\": \"\"")
                .replace("\"input\":  {", "\"input\": { \"height\": 22.5,").replace("\"height\": 224,", "");
        assertEquals(List.of(
                "model.json: version must be a non-empty string, got \"\"",
                "model.json: input.width must be an integer, got \"224\"",
                "model.json: input.height must be an integer, got 22.5",
                "model.json: input.scale must be a number, got \"1/255\""), problemsOf(json));
    }

    @Test
    void everyProblemIsReportedAtOnceInTheMessage() throws IOException {
        String json = zoo("\"width\": 224", "\"width\": 0").replace("\"minScore\": 0.0", "\"minScore\": 1.5")
                .replace("\"scale\": 0.00392156862745098", "\"scale\": 0")
                .replace("\"file\": \"model.onnx\"", "\"file\": \"missing.onnx\"");
        Files.writeString(dir.resolve("model.json"), json);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelDirectory.load(dir));
        assertEquals(List.of(
                "model.json: input.width must be > 0, got 0",
                "model.json: input.scale must be > 0, got 0",
                "model.json: defaults.minScore must be between 0 and 1, got 1.5",
                "model.json: file names \"missing.onnx\", but " + dir.resolve("missing.onnx") + " does not exist"),
                e.problems());
        assertTrue(e.getMessage().startsWith("model directory " + dir + " is invalid (4 problems):\n  model.json: input.width"),
                e.getMessage());
    }

    @Test
    void shorterSideMustBeGivenAndLeaveRoomForTheCrop() throws IOException {
        assertEquals(List.of("model.json: input.resizeShorterSide is required but missing"),
                problemsOf(zoo("\"resizeShorterSide\": 256,", "")));
        assertEquals(List.of("model.json: input.resizeShorterSide must be >= max(input.width, input.height) = 224 so the centre crop fits, got 200"),
                problemsOf(zoo("\"resizeShorterSide\": 256", "\"resizeShorterSide\": 200")));
    }

    @Test
    void stretchNeedsNoShorterSide() throws IOException {
        Files.writeString(dir.resolve("model.json"), zoo("\"shorter-side-then-center-crop\"", "\"stretch\"")
                .replace("\"resizeShorterSide\": 256,", ""));
        assertEquals(Resize.STRETCH, ModelDirectory.load(dir).spec().input().preprocess().resize());
    }

    @Test
    void labelsFileMustExistAndHaveNoBlankLinesInside() throws IOException {
        assertEquals(List.of("model.json: labels names \"synset.txt\", but " + dir.resolve("synset.txt") + " does not exist"),
                problemsOf(zoo("\"labels.txt\"", "\"synset.txt\"")));
        Files.writeString(dir.resolve("labels.txt"), "cat\n\ndog\n\n\n");
        assertEquals(List.of("labels.txt: line 2 is blank; every line up to the last names one output"), problemsOf(ZOO_STYLE));
        Files.writeString(dir.resolve("labels.txt"), "\n");
        assertEquals(List.of("labels.txt: has no labels, expected one per line (line i names output i)"), problemsOf(ZOO_STYLE));
    }

    @Test
    void windowsLineEndingsAndTrailingNewlinesDoNotLeakIntoLabels() throws IOException {
        Files.writeString(dir.resolve("labels.txt"), "tench, Tinca tinca\r\ngoldfish\r\n\r\n");
        Files.writeString(dir.resolve("model.json"), ZOO_STYLE);
        assertEquals(List.of("tench, Tinca tinca", "goldfish"), ModelDirectory.load(dir).labels());
    }

    @Test
    void missingOrMalformedModelJsonIsReported() throws IOException {
        assertEquals(List.of("model.json not found: " + dir.resolve("model.json")),
                assertThrows(InvalidModelException.class, () -> ModelDirectory.load(dir)).problems());
        assertEquals(List.of("model.json is not valid JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name at line 1, column 15"),
                problemsOf("{\"name\": \"x\", }"));
        assertEquals(List.of("model.json must be a JSON object, got an array"), problemsOf("[1, 2]"));
        assertEquals(List.of("model.json is empty"), problemsOf(""));
    }
}
