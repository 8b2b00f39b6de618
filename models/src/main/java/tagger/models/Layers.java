package tagger.models;

/**
 * The layer vocabulary the benchmark architectures are written in, so one architecture description
 * yields both a float graph ({@link FloatLayers}) and an int8 one ({@link QuantizedLayers}) with
 * the same weights. Methods take and return value names in the graph.
 */
interface Layers {

    enum Activation { NONE, RELU, RELU6 }

    /**
     * Convolution with "same" padding, zero bias and He-initialised weights of standard deviation
     * gain·√(2 / fan_in): gain 1 keeps the activation scale through a ReLU, smaller gains damp
     * linear and residual branches.
     */
    String conv(String x, int in, int out, int kernel, int stride, int groups, Activation activation, double gain);

    /** Elementwise sum of two equally shaped values, then {@code activation}. */
    String add(String a, String b, Activation activation);

    String maxPool(String x, int kernel, int stride);

    /** GlobalAveragePool, Flatten and a fully connected layer to {@code classes} logits in the graph output {@code output}. */
    void classifier(String x, int in, int classes);
}
