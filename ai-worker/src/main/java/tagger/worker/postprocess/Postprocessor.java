package tagger.worker.postprocess;

import java.util.ArrayList;
import java.util.List;
import tagger.common.Tag;
import tagger.worker.model.ModelSpec.Activation;

/**
 * Turns one image's raw model output into its tags: the model's activation, then the topK
 * highest-scoring labels with score ≥ minScore, best first, ties in label order. Immutable and
 * thread-safe.
 */
public final class Postprocessor {

    private final Activation activation;
    private final List<String> labels;

    /** @param labels output index i is {@code labels.get(i)} */
    public Postprocessor(Activation activation, List<String> labels) {
        if (activation == null) {
            throw new IllegalArgumentException("activation is required");
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels must not be empty");
        }
        this.activation = activation;
        this.labels = List.copyOf(labels);
    }

    public int labelCount() {
        return labels.size();
    }

    /** What requests for this model must respect. */
    public TagOptionRules rules() {
        return TagOptionRules.forModel(labels.size(), activation);
    }

    /**
     * The tags for one output row. topK above the label count means "all that pass minScore";
     * minScore is not range-checked here (see {@link TagOptionRules}).
     *
     * @throws IllegalArgumentException when the row's length is not the label count, topK < 1,
     *                                  or the model produced NaN (or infinity under softmax):
     *                                  a model failure, not something to tag
     */
    public List<Tag> tags(float[] raw, int topK, double minScore) {
        if (raw.length != labels.size()) {
            throw new IllegalArgumentException("model output has " + raw.length + " values but there are "
                    + labels.size() + " labels");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        TopScores top = new TopScores(Math.min(topK, raw.length));
        switch (activation) {
            case SOFTMAX -> softmax(raw, minScore, top);
            case SIGMOID -> {
                for (int i = 0; i < raw.length; i++) {
                    offer(top, i, sigmoid(checked(raw, i)), minScore);
                }
            }
            case NONE -> {
                for (int i = 0; i < raw.length; i++) {
                    offer(top, i, checked(raw, i), minScore);
                }
            }
        }
        int[] indices = new int[top.size()];
        double[] scores = new double[top.size()];
        top.drainBestFirst(indices, scores);
        List<Tag> tags = new ArrayList<>(indices.length);
        for (int n = 0; n < indices.length; n++) {
            tags.add(new Tag(labels.get(indices[n]), scores[n]));
        }
        return tags;
    }

    /**
     * exp(x - max) / Σ exp(x_j - max): subtracting the max keeps every exponent ≤ 0, so nothing
     * overflows and at least one term is 1. Scores are computed again while selecting rather
     * than stored, so there is no per-call array of n probabilities.
     */
    private static void softmax(float[] raw, double minScore, TopScores top) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < raw.length; i++) {
            float x = checked(raw, i);
            if (Float.isInfinite(x)) {
                throw new IllegalArgumentException("softmax needs finite logits, got " + x + " at index " + i);
            }
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : raw) {
            sum += Math.exp(x - max);
        }
        for (int i = 0; i < raw.length; i++) {
            offer(top, i, Math.exp(raw[i] - max) / sum, minScore);
        }
    }

    /** 1 / (1 + e^-x), written so the exponent is never positive: no overflow, no 0/0 at ±large x. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    private static void offer(TopScores top, int i, double score, double minScore) {
        if (score >= minScore) {
            top.offer(i, score);
        }
    }

    private static float checked(float[] raw, int i) {
        if (Float.isNaN(raw[i])) {
            throw new IllegalArgumentException("model output is NaN at index " + i);
        }
        return raw[i];
    }
}
