package tagger.worker.model;

import tagger.imaging.PreprocessSpec;

/**
 * The parsed {@code model.json} of a model directory (format in DESIGN.md): what the model expects
 * as input, how to read its output, and the defaults for requests that set none.
 */
public record ModelSpec(
        String name,
        String version,
        String file,
        String labels,
        Input input,
        Output output,
        Defaults defaults) {

    /** {@code softmax}, {@code sigmoid} or {@code none} in JSON. */
    public enum Activation { SOFTMAX, SIGMOID, NONE }

    /**
     * Input tensor description: the tensor's name and how its pixels are made.
     */
    public record Input(String name, PreprocessSpec preprocess) {

        /** Floats per image: 3 × width × height. */
        public int tensorSize() {
            return preprocess.tensorSize();
        }
    }

    public record Output(String name, Activation activation) {
    }

    public record Defaults(int topK, double minScore) {
    }
}
