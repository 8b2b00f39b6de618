package tagger.models;

import static tagger.models.Layers.Activation.NONE;
import static tagger.models.Layers.Activation.RELU;
import static tagger.models.Layers.Activation.RELU6;

/**
 * Layer-by-layer shapes of the benchmark networks, with batch normalisation folded into the
 * convolutions (as in exported inference graphs), written against {@link Layers}.
 */
final class Architectures {
    /** Gain of a linear projection: std √(1/fan_in), keeps the scale without a ReLU after it. */
    private static final double LINEAR = Math.sqrt(0.5);
    /** Gain of the last conv of a residual branch: damped so sums stay of order one through deep stacks. */
    private static final double DAMPED = 0.3 * LINEAR;

    private Architectures() {
    }

    /**
     * MobileNetV2 1.0 at 224×224 (Sandler et al. 2018, table 2): 17 inverted residual blocks of
     * 1×1 expansion, 3×3 depthwise and linear 1×1 projection; about 3.5 M parameters.
     */
    static void mobileNetV2(Layers l, String input, int classes) {
        // expansion t, output channels c, repeats n, first stride s
        int[][] blocks = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
        String x = l.conv(input, 3, 32, 3, 2, 1, RELU6, 1);
        int in = 32;
        for (int[] b : blocks) {
            for (int i = 0; i < b[2]; i++) {
                int stride = i == 0 ? b[3] : 1;
                int hidden = in * b[0];
                boolean residual = stride == 1 && in == b[1];
                String h = b[0] == 1 ? x : l.conv(x, in, hidden, 1, 1, 1, RELU6, 1);
                h = l.conv(h, hidden, hidden, 3, stride, hidden, RELU6, 1);
                h = l.conv(h, hidden, b[1], 1, 1, 1, NONE, residual ? DAMPED : LINEAR);
                x = residual ? l.add(x, h, NONE) : h;
                in = b[1];
            }
        }
        x = l.conv(x, in, 1280, 1, 1, 1, RELU6, 1);
        l.classifier(x, 1280, classes);
    }

    /**
     * ResNet-50 v1.5 at 224×224 (He et al. 2016; stride in the 3×3 conv as in torchvision):
     * bottleneck stages of 3, 4, 6 and 3 blocks; about 25.5 M parameters.
     */
    static void resNet50(Layers l, String input, int classes) {
        // blocks, bottleneck width, first stride
        int[][] stages = {{3, 64, 1}, {4, 128, 2}, {6, 256, 2}, {3, 512, 2}};
        String x = l.maxPool(l.conv(input, 3, 64, 7, 2, 1, RELU, 1), 3, 2);
        int in = 64;
        for (int[] s : stages) {
            int width = s[1];
            int out = width * 4;
            for (int i = 0; i < s[0]; i++) {
                int stride = i == 0 ? s[2] : 1;
                String h = l.conv(x, in, width, 1, 1, 1, RELU, 1);
                h = l.conv(h, width, width, 3, stride, 1, RELU, 1);
                h = l.conv(h, width, out, 1, 1, 1, NONE, DAMPED);
                String shortcut = i == 0 ? l.conv(x, in, out, 1, stride, 1, NONE, LINEAR) : x;
                x = l.add(shortcut, h, RELU);
                in = out;
            }
        }
        l.classifier(x, in, classes);
    }
}
