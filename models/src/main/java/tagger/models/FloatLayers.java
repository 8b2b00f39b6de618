package tagger.models;

import static tagger.models.OnnxGraph.integer;
import static tagger.models.OnnxGraph.ints;

import java.util.List;

/** {@link Layers} as float32 ONNX operators: Conv, Clip (ReLU6), Relu, Add, MaxPool, Gemm. */
final class FloatLayers implements Layers {
    private final OnnxGraph g;
    private final HeInit init;
    private String zero;
    private String six;

    FloatLayers(OnnxGraph graph, HeInit init) {
        this.g = graph;
        this.init = init;
    }

    @Override
    public String conv(String x, int in, int out, int kernel, int stride, int groups, Activation activation, double gain) {
        int fanIn = in / groups * kernel * kernel;
        String w = g.weights("conv_w", init.weights(out * fanIn, fanIn, gain), out, in / groups, kernel, kernel);
        String b = g.weights("conv_b", new float[out], out);
        int pad = kernel / 2;
        String y = g.node("Conv", "conv", List.of(x, w, b), ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride), ints("pads", pad, pad, pad, pad), integer("group", groups));
        return activate(y, activation);
    }

    @Override
    public String add(String a, String b, Activation activation) {
        return activate(g.node("Add", "sum", List.of(a, b)), activation);
    }

    @Override
    public String maxPool(String x, int kernel, int stride) {
        int pad = kernel / 2;
        return g.node("MaxPool", "pool", List.of(x), ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride), ints("pads", pad, pad, pad, pad));
    }

    @Override
    public void classifier(String x, int in, int classes) {
        String pooled = g.node("GlobalAveragePool", "pooled", List.of(x));
        String flat = g.node("Flatten", "flat", List.of(pooled), integer("axis", 1));
        // gain √½: std √(1/in), logits of order one rather than a softmax saturated at one class
        String w = g.weights("fc_w", init.weights(classes * in, in, Math.sqrt(0.5)), classes, in);
        String b = g.weights("fc_b", new float[classes], classes);
        g.nodeNamed("Gemm", "output", List.of(flat, w, b), integer("transB", 1));
    }

    private String activate(String x, Activation activation) {
        return switch (activation) {
            case NONE -> x;
            case RELU -> g.node("Relu", "relu", List.of(x));
            case RELU6 -> {
                if (zero == null) {
                    zero = g.scalar("clip_min", 0f);
                    six = g.scalar("clip_max", 6f);
                }
                yield g.node("Clip", "relu6", List.of(x, zero, six));
            }
        };
    }
}
