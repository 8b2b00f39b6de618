package tagger.models;

import static tagger.models.OnnxGraph.integer;
import static tagger.models.OnnxGraph.ints;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Layers} in the "QOperator" int8 format of the model zoo's {@code -int8} models, with
 * standard ONNX operators only: the float input goes through QuantizeLinear, every convolution is
 * a QLinearConv with uint8 activations and per-channel symmetric int8 weights, residual sums are
 * DequantizeLinear → Add → QuantizeLinear, and the classifier runs in float after a final
 * DequantizeLinear. Weights are the float model's, quantised, drawn in the same order.
 *
 * <p>Activations are not calibrated on data (there is none): each kind of value gets a fixed
 * range wide enough for He-initialised activations of standard deviation about one. As in ORT's
 * own quantiser, ReLU and ReLU6 need no operator: a uint8 output with zero point 0 saturates at 0
 * and at the top of its range.
 */
final class QuantizedLayers implements Layers {
    /** Normalised pixels ((v/255 − mean)/std) lie in about [−2.2, 2.7]. */
    private static final float INPUT_RANGE = 3f;
    /** Linear (un-activated) outputs and residual sums: symmetric around zero. */
    private static final float LINEAR_RANGE = 8f;
    /**
     * Weights use 7 bits (±63), ORT's quantiser's {@code reduce_range}: on x86 CPUs without VNNI
     * (AVX2 only) the u8×s8 kernels add pairs of products in saturating 16-bit lanes, and full-range
     * weights overflow there, so the int8 graph's output would depend on the CPU it runs on.
     */
    private static final int WEIGHT_LIMIT = 63;
    /** ReLU outputs: [0, 8]; ReLU6 outputs [0, 6] exactly. */
    private static final float RELU_MAX = 8f;

    /** Scale and zero-point initializers of one uint8 value. */
    private record Quant(String scale, String zeroPoint) {
    }

    private final OnnxGraph g;
    private final HeInit init;
    private final Map<String, Quant> uint8Values = new HashMap<>();
    private final Map<Activation, Quant> outputQuant = new EnumMap<>(Activation.class);

    QuantizedLayers(OnnxGraph graph, HeInit init) {
        this.g = graph;
        this.init = init;
    }

    @Override
    public String conv(String x, int in, int out, int kernel, int stride, int groups, Activation activation, double gain) {
        int fanIn = in / groups * kernel * kernel;
        float[] w = init.weights(out * fanIn, fanIn, gain);
        byte[] q = new byte[w.length];
        float[] scales = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int i = o * fanIn; i < (o + 1) * fanIn; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            scales[o] = max > 0 ? max / WEIGHT_LIMIT : 1;
            for (int i = o * fanIn; i < (o + 1) * fanIn; i++) {
                q[i] = (byte) Math.max(-WEIGHT_LIMIT, Math.min(WEIGHT_LIMIT, Math.round(w[i] / scales[o])));
            }
        }
        String xq = uint8(x);
        Quant xQuant = uint8Values.get(xq);
        Quant yQuant = outputQuant(activation);
        int pad = kernel / 2;
        String y = g.node("QLinearConv", "qconv", List.of(
                        xq, xQuant.scale(), xQuant.zeroPoint(),
                        g.int8Weights("qconv_w", q, out, in / groups, kernel, kernel),
                        g.floats("qconv_w_scale", scales, out),
                        g.bytes("qconv_w_zp", TensorProto.DataType.INT8, new byte[out], out),
                        yQuant.scale(), yQuant.zeroPoint(),
                        g.int32Weights("qconv_b", new int[out], out)),
                ints("kernel_shape", kernel, kernel), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad), integer("group", groups));
        uint8Values.put(y, yQuant);
        return y;
    }

    @Override
    public String add(String a, String b, Activation activation) {
        String sum = g.node("Add", "sum", List.of(dequantize(a), dequantize(b)));
        return quantize(sum, outputQuant(activation));
    }

    @Override
    public String maxPool(String x, int kernel, int stride) {
        String xq = uint8(x);
        int pad = kernel / 2;
        String y = g.node("MaxPool", "pool", List.of(xq), ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride), ints("pads", pad, pad, pad, pad));
        uint8Values.put(y, uint8Values.get(xq));
        return y;
    }

    @Override
    public void classifier(String x, int in, int classes) {
        String pooled = g.node("GlobalAveragePool", "pooled", List.of(dequantize(x)));
        String flat = g.node("Flatten", "flat", List.of(pooled), integer("axis", 1));
        String w = g.weights("fc_w", init.weights(classes * in, in, Math.sqrt(0.5)), classes, in);
        String b = g.weights("fc_b", new float[classes], classes);
        g.nodeNamed("Gemm", "output", List.of(flat, w, b), integer("transB", 1));
    }

    /** The uint8 form of {@code x}, quantising the float graph input on first use. */
    private String uint8(String x) {
        if (uint8Values.containsKey(x)) {
            return x;
        }
        return quantize(x, quant("input", 2 * INPUT_RANGE / 255, 128));
    }

    private String quantize(String x, Quant q) {
        String y = g.node("QuantizeLinear", "q", List.of(x, q.scale(), q.zeroPoint()));
        uint8Values.put(y, q);
        return y;
    }

    private String dequantize(String x) {
        Quant q = uint8Values.get(x);
        return g.node("DequantizeLinear", "dq", List.of(x, q.scale(), q.zeroPoint()));
    }

    private Quant outputQuant(Activation activation) {
        return outputQuant.computeIfAbsent(activation, a -> switch (a) {
            case NONE -> quant("linear", 2 * LINEAR_RANGE / 255, 128);
            case RELU -> quant("relu", RELU_MAX / 255, 0);
            case RELU6 -> quant("relu6", 6f / 255, 0);
        });
    }

    private Quant quant(String hint, float scale, int zeroPoint) {
        return new Quant(g.scalar(hint + "_scale", scale),
                g.bytes(hint + "_zp", TensorProto.DataType.UINT8, new byte[] {(byte) zeroPoint}));
    }
}
