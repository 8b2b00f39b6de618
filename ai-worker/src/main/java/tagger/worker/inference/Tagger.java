package tagger.worker.inference;

import java.nio.FloatBuffer;

/** Runs the model on batches of preprocessed images. Not thread-safe: one caller at a time. */
public interface Tagger extends AutoCloseable {

    /** Largest batch accepted: the model's fixed batch dimension, or {@link Integer#MAX_VALUE} when dynamic. */
    int maxBatchSize();

    /**
     * Runs {@code n} images laid out back to back in {@code input} (n × tensorSize floats, in the
     * model's layout, position 0 to n × tensorSize) and returns one raw output row per image, before
     * activation.
     *
     * @throws InferenceException when the runtime fails
     */
    float[][] run(FloatBuffer input, int n);

    /** The execution device actually in use, e.g. {@code cpu} or {@code cuda:0}. */
    String device();

    @Override
    void close();
}
