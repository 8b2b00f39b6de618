package tagger.worker.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.models.BatchDimension;
import tagger.models.DemoModel;
import tagger.worker.model.InvalidModelException;
import tagger.worker.model.ModelDirectory;

class OnnxTaggerTest {
    private static final int PLANE = DemoModel.SIZE * DemoModel.SIZE;
    private static final DeviceSelector.GpuProbe NO_GPU = () -> false;
    private static final OnnxTagger.Options CPU = new OnnxTagger.Options(Device.CPU, 1);

    @TempDir
    Path dir;

    private static OnnxTagger open(Path dir) {
        return OnnxTagger.open(ModelDirectory.load(dir), CPU);
    }

    /** One solid-colour image in NCHW with values in [0,1], the demo model's input. */
    private static float[] solid(float r, float g, float b) {
        float[] chw = new float[3 * PLANE];
        Arrays.fill(chw, 0, PLANE, r);
        Arrays.fill(chw, PLANE, 2 * PLANE, g);
        Arrays.fill(chw, 2 * PLANE, 3 * PLANE, b);
        return chw;
    }

    private static FloatBuffer direct(float[]... images) {
        FloatBuffer buf = ByteBuffer.allocateDirect(images.length * 3 * PLANE * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (float[] image : images) {
            buf.put(image);
        }
        return buf.flip();
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            best = row[i] > row[best] ? i : best;
        }
        return best;
    }

    private List<String> problemsWith(String from, String to) throws IOException {
        Path json = dir.resolve("model.json");
        String text = Files.readString(json);
        assertTrue(text.contains(from), from);
        Files.writeString(json, text.replace(from, to));
        ModelDirectory model = ModelDirectory.load(dir);
        return assertThrows(InvalidModelException.class, () -> OnnxTagger.open(model, CPU)).problems();
    }

    @Test
    void redImageScoresRedHighest() {
        DemoModel.write(dir);
        try (OnnxTagger tagger = open(dir)) {
            float[][] rows = tagger.run(direct(solid(1, 0, 0)), 1);
            assertEquals(1, rows.length);
            assertEquals(15, rows[0].length);
            assertEquals("red", DemoModel.LABELS.get(argmax(rows[0])));
        }
    }

    @Test
    void batchOfThreeGivesTheRowsOfThreeSingleRuns() {
        DemoModel.write(dir);
        float[][] images = {solid(1, 0, 0), solid(0, 0, 0), solid(0.2f, 0.4f, 0.9f)};
        try (OnnxTagger tagger = open(dir)) {
            float[][] batch = tagger.run(direct(images), 3);
            assertEquals(3, batch.length);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(tagger.run(direct(images[i]), 1)[0], batch[i], 1e-5f, "row " + i);
            }
            assertEquals("black", DemoModel.LABELS.get(argmax(batch[1])));
        }
    }

    @Test
    void heapBuffersAndLongerBuffersGiveTheSameRowsAndAreLeftUntouched() {
        DemoModel.write(dir);
        try (OnnxTagger tagger = open(dir)) {
            float[][] expected = tagger.run(direct(solid(0, 0, 1), solid(1, 1, 0)), 2);
            FloatBuffer heap = FloatBuffer.allocate(3 * 3 * PLANE);
            heap.put(solid(0, 0, 1)).put(solid(1, 1, 0)).put(solid(1, 1, 1));
            heap.position(5);
            float[][] rows = tagger.run(heap, 2);
            assertEquals(5, heap.position(), "the caller's buffer position is not moved");
            assertArrayEquals(expected[0], rows[0], 1e-6f);
            assertArrayEquals(expected[1], rows[1], 1e-6f);
        }
    }

    @Test
    void dynamicBatchModelReportsNoBatchLimitAndRunsOnCpu() {
        DemoModel.write(dir);
        try (OnnxTagger tagger = OnnxTagger.open(ModelDirectory.load(dir), new OnnxTagger.Options(Device.AUTO, 1), NO_GPU)) {
            assertEquals(Integer.MAX_VALUE, tagger.maxBatchSize());
            assertEquals("cpu", tagger.device());
        }
    }

    @Test
    void fixedBatchOneModelReportsMaxBatchSizeOneAndRejectsLargerBatches() {
        DemoModel.write(dir, BatchDimension.FIXED_ONE);
        try (OnnxTagger tagger = open(dir)) {
            assertEquals(1, tagger.maxBatchSize());
            assertEquals("yellow", DemoModel.LABELS.get(argmax(tagger.run(direct(solid(1, 1, 0)), 1)[0])));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tagger.run(direct(solid(1, 1, 0), solid(1, 1, 0)), 2));
            assertEquals("batch of 2 images; this model takes 1 to 1", e.getMessage());
        }
    }

    @Test
    void fixedBatchOfTwoRunsASingleImageByPaddingTheBatch() throws IOException {
        DemoModel.write(dir);
        float[] single;
        try (OnnxTagger dynamic = open(dir)) {
            single = dynamic.run(direct(solid(0, 1, 0)), 1)[0];
        }
        ModelProto.Builder model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx"))).toBuilder();
        TensorShapeProto.Dimension two = TensorShapeProto.Dimension.newBuilder().setDimValue(2).build();
        model.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().setDim(0, two);
        model.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().setDim(0, two);
        Files.write(dir.resolve("model.onnx"), model.build().toByteArray());
        try (OnnxTagger tagger = open(dir)) {
            assertEquals(2, tagger.maxBatchSize());
            float[][] rows = tagger.run(direct(solid(0, 1, 0)), 1);
            assertEquals(1, rows.length);
            assertArrayEquals(single, rows[0], 1e-5f);
        }
    }

    @Test
    void inputBufferShorterThanTheBatchIsRejected() {
        DemoModel.write(dir);
        try (OnnxTagger tagger = open(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tagger.run(direct(solid(1, 0, 0)), 2));
            assertEquals("input holds 12288 floats, a batch of 2 needs 24576", e.getMessage());
        }
    }

    @Test
    void wrongInputNameListsTheRealInputs() throws IOException {
        DemoModel.write(dir);
        assertEquals(List.of("model.json: input.name is \"pixels\" but model.onnx has no such input; its inputs are [input]"),
                problemsWith("\"name\": \"input\"", "\"name\": \"pixels\""));
    }

    @Test
    void wrongOutputNameListsTheRealOutputs() throws IOException {
        DemoModel.write(dir);
        assertEquals(List.of("model.json: output.name is \"probs\" but model.onnx has no such output; its outputs are [output]"),
                problemsWith("\"name\": \"output\"", "\"name\": \"probs\""));
    }

    @Test
    void labelCountMustEqualTheOutputWidth() throws IOException {
        DemoModel.write(dir);
        Files.writeString(dir.resolve("labels.txt"), String.join("\n", DemoModel.LABELS.subList(0, 14)) + "\n");
        ModelDirectory model = ModelDirectory.load(dir);
        assertEquals(List.of("labels.txt has 14 labels but model.onnx output \"output\" has 15 values per image (shape [N, 15])"),
                assertThrows(InvalidModelException.class, () -> OnnxTagger.open(model, CPU)).problems());
    }

    @Test
    void declaredSizeMustMatchTheFixedDimensionsOfTheFile() throws IOException {
        DemoModel.write(dir);
        assertEquals(List.of(
                        "model.json: input.height is 32, but dimension 2 (height) of model.onnx input \"input\" is 64, expected 32 (shape [N, 3, 64, 64])",
                        "model.json: input.width is 32, but dimension 3 (width) of model.onnx input \"input\" is 64, expected 32 (shape [N, 3, 64, 64])"),
                problemsWith("\"width\": 64,\n    \"height\": 64", "\"width\": 32,\n    \"height\": 32"));
    }

    @Test
    void layoutMustMatchWhereTheFileKeepsItsThreeChannels() throws IOException {
        DemoModel.write(dir);
        assertEquals(List.of(
                        "model.json: input.layout is NHWC, so dimension 3 (channels) of model.onnx input \"input\" is 64, expected 3 (shape [N, 3, 64, 64]); the file looks NCHW",
                        "model.json: input.height is 64, but dimension 1 (height) of model.onnx input \"input\" is 3, expected 64 (shape [N, 3, 64, 64])"),
                problemsWith("\"NCHW\"", "\"NHWC\""));
    }

    @Test
    void inputOfRankTwoIsRejected() throws IOException {
        DemoModel.write(dir);
        // turn the demo into a flattened-input model: input [N, 12288] -> Reshape -> the original graph
        ModelProto.Builder model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx"))).toBuilder();
        GraphProto.Builder graph = model.getGraphBuilder();
        for (NodeProto.Builder node : graph.getNodeBuilderList()) {
            for (int i = 0; i < node.getInputCount(); i++) {
                if (node.getInput(i).equals("input")) {
                    node.setInput(i, "pixels");
                }
            }
        }
        ByteBuffer target = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putLong(3).putLong(64).putLong(64);
        graph.addInitializer(TensorProto.newBuilder().setName("image_shape").setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(4).setRawData(ByteString.copyFrom(target.flip())));
        graph.addNode(0, NodeProto.newBuilder().setOpType("Reshape").addInput("input").addInput("image_shape").addOutput("pixels"));
        TensorShapeProto.Builder shape = graph.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        shape.removeDim(3).removeDim(2).setDim(1, TensorShapeProto.Dimension.newBuilder().setDimValue(3L * PLANE));
        Files.write(dir.resolve("model.onnx"), model.build().toByteArray());
        assertEquals(List.of("model.onnx: input \"input\" must have rank 4 (batch, channels, height, width for layout NCHW), got shape [N, 12288]"),
                assertThrows(InvalidModelException.class, () -> open(dir)).problems());
    }

    @Test
    void fileOnnxRuntimeCannotParseIsAStartupErrorNamingTheFile() throws IOException {
        DemoModel.write(dir);
        Files.writeString(dir.resolve("model.onnx"), "not a model");
        List<String> problems = assertThrows(InvalidModelException.class, () -> open(dir)).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("model.onnx: ONNX Runtime cannot load it: "), problems.get(0));
    }

    @Test
    void cudaDemandedOnAHostWithoutAGpuIsAStartupError() {
        assumeFalse(DeviceSelector.GpuProbe.DEVICE_FILES.nvidiaGpuPresent(), "this host has a GPU");
        DemoModel.write(dir);
        ModelDirectory model = ModelDirectory.load(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OnnxTagger.open(model, new OnnxTagger.Options(Device.CUDA, 1)));
        assertTrue(e.getMessage().startsWith("device=cuda but the CUDA execution provider cannot be used: "), e.getMessage());
    }

    @Test
    void negativeThreadCountIsRejected() {
        assertEquals("intraOpThreads must be >= 0 (0 = all cores), got -1",
                assertThrows(IllegalArgumentException.class, () -> new OnnxTagger.Options(Device.CPU, -1)).getMessage());
    }
}
