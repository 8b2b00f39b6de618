package tagger.worker.model;

import java.util.List;

/**
 * A model directory cannot be served: {@code model.json}, the labels or the ONNX file break a rule.
 * Carries every problem found, each naming the field and the bad value, so one start-up fixes them all.
 */
public final class InvalidModelException extends RuntimeException {
    private final List<String> problems;

    public InvalidModelException(String where, List<String> problems) {
        super(where + " is invalid (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, e.g. {@code model.json: input.width must be > 0, got -3}. */
    public List<String> problems() {
        return problems;
    }
}
