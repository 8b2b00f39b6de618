package tagger.worker.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.worker.model.ModelSpec.Activation;

class TagOptionRulesTest {

    private final TagOptionRules probabilities = TagOptionRules.forModel(15, Activation.SOFTMAX);

    @Test
    void validOptionsBreakNoRule() {
        assertEquals(List.of(), probabilities.violations(1, 0.0));
        assertEquals(List.of(), probabilities.violations(15, 1.0));
        assertEquals(List.of(), TagOptionRules.forModel(15, Activation.SIGMOID).violations(5, 0.5));
    }

    @Test
    void topKOutsideOneToTheLabelCountIsNamedWithItsValue() {
        assertEquals(List.of("topK must be between 1 and 15, got 0"), probabilities.violations(0, 0.5));
        assertEquals(List.of("topK must be between 1 and 15, got 16"), probabilities.violations(16, 0.5));
    }

    @Test
    void minScoreMustBeAProbabilityForSoftmaxAndSigmoid() {
        assertEquals(List.of("minScore must be between 0 and 1, got 1.5"), probabilities.violations(5, 1.5));
        assertEquals(List.of("minScore must be between 0 and 1, got -0.1"),
                TagOptionRules.forModel(15, Activation.SIGMOID).violations(5, -0.1));
        assertEquals(List.of("minScore must be between 0 and 1, got NaN"), probabilities.violations(5, Double.NaN));
    }

    @Test
    void rawScoresAcceptAnyFiniteMinScore() {
        TagOptionRules raw = TagOptionRules.forModel(15, Activation.NONE);
        assertEquals(List.of(), raw.violations(5, -3.0));
        assertEquals(List.of(), raw.violations(5, 42.0));
        assertEquals(List.of("minScore must be a finite number, got Infinity"), raw.violations(5, Double.POSITIVE_INFINITY));
    }

    @Test
    void checkReportsEveryViolationAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> probabilities.check(0, 2.0));
        assertEquals("topK must be between 1 and 15, got 0; minScore must be between 0 and 1, got 2.0", e.getMessage());
    }

    @Test
    void thePostprocessorPublishesTheRulesForItsModel() {
        assertEquals(new TagOptionRules(3, true), new Postprocessor(Activation.SIGMOID, List.of("a", "b", "c")).rules());
        assertEquals(new TagOptionRules(2, false), new Postprocessor(Activation.NONE, List.of("a", "b")).rules());
    }
}
