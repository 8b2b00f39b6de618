package tagger.models;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * Models with realistic compute for benchmarks, generated on demand: the shapes of MobileNetV2 and
 * ResNet-50 with deterministic random weights. They share the interface of the ONNX model zoo's
 * ImageNet classifiers (input float[N,3,224,224] NCHW RGB with ImageNet normalisation, output
 * float[N,1000] logits), so the same {@code model.json} serves a real zoo model. Their tags are
 * meaningless; their cost is not.
 */
public final class BenchmarkModels {
    public static final int SIZE = 224;
    public static final int CLASSES = 1000;
    private static final long SEED = 20240601L;

    /** The models this class can write, by the name {@link ModelsMain} accepts. */
    public enum Kind {
        MOBILENETV2("1", FloatLayers::new, Architectures::mobileNetV2),
        RESNET50("1", FloatLayers::new, Architectures::resNet50),
        /** The MobileNetV2 graph's weights quantised to int8 (QLinearConv), like the zoo's mobilenetv2-12-int8. */
        MOBILENETV2_INT8("1-int8", QuantizedLayers::new, Architectures::mobileNetV2);

        private final String version;
        private final BiFunction<OnnxGraph, HeInit, Layers> layers;
        private final Architecture architecture;

        Kind(String version, BiFunction<OnnxGraph, HeInit, Layers> layers, Architecture architecture) {
            this.version = version;
            this.layers = layers;
            this.architecture = architecture;
        }

        /** {@code mobilenetv2}, {@code resnet50}, {@code mobilenetv2-int8}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The model name in model.json: {@code bench-} plus the network, the same for float and int8. */
        String modelName() {
            return "bench-" + cliName().replace("-int8", "");
        }
    }

    @FunctionalInterface
    private interface Architecture {
        void build(Layers layers, String input, int classes);
    }

    private BenchmarkModels() {
    }

    /** Writes the model directory of {@code kind} with a dynamic batch dimension. */
    public static GeneratedModel write(Kind kind, Path dir) {
        return write(kind, dir, BatchDimension.DYNAMIC);
    }

    public static GeneratedModel write(Kind kind, Path dir, BatchDimension batch) {
        OnnxGraph g = new OnnxGraph(kind.modelName());
        String input = g.input("input", batch, 3, SIZE, SIZE);
        kind.architecture.build(kind.layers.apply(g, new HeInit(SEED)), input, CLASSES);
        g.output("output", batch, CLASSES);
        ModelJson json = new ModelJson(kind.modelName(), kind.version, SIZE, SIZE, "shorter-side-then-center-crop", 256,
                1.0 / 255, new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225}, "softmax", 5, 0.0);
        List<String> labels = IntStream.range(0, CLASSES).mapToObj(i -> "class_" + i).toList();
        return ModelDirectoryWriter.write(dir, json,
                g.toModel(kind.modelName() + " " + kind.version + ": benchmark graph with random weights, not a classifier"),
                labels, g.parameters());
    }
}
