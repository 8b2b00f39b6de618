package tagger.worker.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tagger.common.Tag;
import tagger.worker.model.ModelSpec.Activation;

class PostprocessorTest {

    private static List<String> labels(int n) {
        return IntStream.range(0, n).mapToObj(i -> "label" + i).toList();
    }

    private static List<String> names(List<Tag> tags) {
        return tags.stream().map(Tag::label).toList();
    }

    @Test
    void softmaxScoresSumToOneAndMatchTheTextbookFormula() {
        float[] logits = {1.5f, -0.25f, 3f, 0f, 2.25f};
        List<Tag> tags = new Postprocessor(Activation.SOFTMAX, labels(5)).tags(logits, 5, 0.0);
        double denominator = 0;
        for (float x : logits) {
            denominator += Math.exp(x);
        }
        double sum = 0;
        for (Tag t : tags) {
            int i = Integer.parseInt(t.label().substring(5));
            assertEquals(Math.exp(logits[i]) / denominator, t.score(), 1e-12, t.label());
            sum += t.score();
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(List.of("label2", "label4", "label0", "label3", "label1"), names(tags));
    }

    @Test
    void softmaxStaysFiniteForHugeLogits() {
        List<Tag> tags = new Postprocessor(Activation.SOFTMAX, labels(3)).tags(new float[] {1000f, 999f, -1000f}, 3, 0.0);
        assertEquals(1 / (1 + Math.exp(-1)), tags.get(0).score(), 1e-12);
        assertEquals(1 / (1 + Math.exp(1)), tags.get(1).score(), 1e-12);
        assertEquals(0.0, tags.get(2).score());
    }

    @Test
    void sigmoidStaysFiniteAtPlusAndMinusAThousand() {
        List<Tag> tags = new Postprocessor(Activation.SIGMOID, labels(4)).tags(new float[] {1000f, -1000f, 0f, -2f}, 4, 0.0);
        assertEquals(List.of(new Tag("label0", 1.0), new Tag("label2", 0.5),
                new Tag("label3", 1 / (1 + Math.exp(2))), new Tag("label1", 0.0)), tags);
        assertTrue(Postprocessor.sigmoid(-1000) >= 0 && Postprocessor.sigmoid(-745) > 0, "tiny but never negative or NaN");
    }

    @Test
    void noActivationUsesTheRawOutputs() {
        List<Tag> tags = new Postprocessor(Activation.NONE, labels(3)).tags(new float[] {0.25f, 0.5f, 0.125f}, 2, 0.0);
        assertEquals(List.of(new Tag("label1", 0.5), new Tag("label0", 0.25)), tags);
    }

    @Test
    void keepsOnlyTheTopKAtOrAboveMinScoreBestFirst() {
        Postprocessor p = new Postprocessor(Activation.NONE, labels(6));
        float[] scores = {0.1f, 0.9f, 0.3f, 0.7f, 0.5f, 0.2f};
        assertEquals(List.of("label1", "label3", "label4"), names(p.tags(scores, 3, 0.0)));
        assertEquals(List.of("label1", "label3"), names(p.tags(scores, 3, 0.6)), "minScore leaves fewer than topK");
        assertEquals(List.of("label1", "label3", "label4"), names(p.tags(scores, 5, 0.5)), "a score equal to minScore is kept");
        assertEquals(List.of(), p.tags(scores, 3, 0.95));
    }

    @Test
    void equalScoresAreOrderedByLabelIndex() {
        Postprocessor p = new Postprocessor(Activation.NONE, labels(5));
        float[] scores = {0.5f, 0.7f, 0.5f, 0.7f, 0.5f};
        assertEquals(List.of("label1", "label3", "label0"), names(p.tags(scores, 3, 0.0)));
        assertEquals(List.of("label1", "label3", "label0", "label2", "label4"), names(p.tags(scores, 5, 0.0)));
    }

    @Test
    void topKAboveTheLabelCountReturnsEveryLabel() {
        Postprocessor p = new Postprocessor(Activation.NONE, labels(3));
        assertEquals(List.of("label2", "label1", "label0"), names(p.tags(new float[] {1f, 2f, 3f}, Integer.MAX_VALUE, 0.0)));
    }

    @Test
    void selectionOverAThousandClassesAgreesWithAFullSort() {
        Random random = new Random(42);
        Postprocessor p = new Postprocessor(Activation.SIGMOID, labels(1000));
        for (int round = 0; round < 20; round++) {
            float[] logits = new float[1000];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = random.nextInt(40) / 4f - 5;      // coarse values: many ties
            }
            int topK = 1 + random.nextInt(50);
            double minScore = random.nextDouble() * 0.9;
            List<Tag> all = new ArrayList<>();
            for (int i = 0; i < logits.length; i++) {
                all.add(new Tag("label" + i, Postprocessor.sigmoid(logits[i])));
            }
            List<Tag> expected = all.stream().filter(t -> t.score() >= minScore)
                    .sorted(Comparator.comparingDouble(Tag::score).reversed()
                            .thenComparingInt(t -> Integer.parseInt(t.label().substring(5))))
                    .limit(topK).toList();
            assertEquals(expected, p.tags(logits, topK, minScore), "round " + round);
        }
    }

    @Test
    void aNanOutputIsAModelFailureNotATag() {
        Postprocessor p = new Postprocessor(Activation.SIGMOID, labels(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.tags(new float[] {0f, Float.NaN, 1f}, 2, 0.0));
        assertEquals("model output is NaN at index 1", e.getMessage());
        Postprocessor softmax = new Postprocessor(Activation.SOFTMAX, labels(2));
        e = assertThrows(IllegalArgumentException.class, () -> softmax.tags(new float[] {0f, Float.POSITIVE_INFINITY}, 2, 0.0));
        assertEquals("softmax needs finite logits, got Infinity at index 1", e.getMessage());
    }

    @Test
    void anOutputRowOfTheWrongLengthOrTopKBelowOneIsRefused() {
        Postprocessor p = new Postprocessor(Activation.SOFTMAX, labels(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.tags(new float[4], 1, 0.0));
        assertEquals("model output has 4 values but there are 3 labels", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.tags(new float[3], 0, 0.0));
        assertEquals("topK must be at least 1, got 0", e.getMessage());
    }
}
