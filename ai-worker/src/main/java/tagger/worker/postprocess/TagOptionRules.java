package tagger.worker.postprocess;

import java.util.ArrayList;
import java.util.List;
import tagger.worker.model.ModelSpec.Activation;

/**
 * The rules a request's {@code topK} and {@code minScore} must follow for one model: topK within
 * 1..labelCount, and minScore within [0, 1] when scores are probabilities (softmax, sigmoid) or
 * merely finite when the model's raw outputs are used as scores ({@code none}).
 *
 * <p>Plain values only, so the api-server (which knows a model's label count and activation from
 * its description, not from this module) can apply the same rules with the same messages.
 */
public record TagOptionRules(int labelCount, boolean scoresAreProbabilities) {

    public TagOptionRules {
        if (labelCount < 1) {
            throw new IllegalArgumentException("labelCount must be at least 1, got " + labelCount);
        }
    }

    public static TagOptionRules forModel(int labelCount, Activation activation) {
        return new TagOptionRules(labelCount, activation != Activation.NONE);
    }

    /** Every rule the options break, each naming the rule and the value; empty when they are valid. */
    public List<String> violations(int topK, double minScore) {
        List<String> problems = new ArrayList<>(2);
        if (topK < 1 || topK > labelCount) {
            problems.add("topK must be between 1 and " + labelCount + ", got " + topK);
        }
        if (scoresAreProbabilities && !(minScore >= 0 && minScore <= 1)) {
            problems.add("minScore must be between 0 and 1, got " + minScore);
        } else if (!scoresAreProbabilities && !Double.isFinite(minScore)) {
            problems.add("minScore must be a finite number, got " + minScore);
        }
        return problems;
    }

    /** @throws IllegalArgumentException listing every violation, separated by "; " */
    public void check(int topK, double minScore) {
        List<String> problems = violations(topK, minScore);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
