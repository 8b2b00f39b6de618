package tagger.worker.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    /** Records the batch size of every run. */
    private static final class CountingTagger implements Tagger {
        final List<Integer> runs = new ArrayList<>();

        @Override
        public int maxBatchSize() {
            return Integer.MAX_VALUE;
        }

        @Override
        public float[][] run(FloatBuffer input, int n) {
            assertEquals(n * 12, input.limit(), "a whole batch of blank images");
            runs.add(n);
            return new float[n][3];
        }

        @Override
        public String device() {
            return "cpu";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theSmallestAndTheLargestBatchRunSeveralTimesBeforeAnyJob() {
        CountingTagger tagger = new CountingTagger();
        WarmUp.run(tagger, 12, 16);
        assertEquals(List.of(1, 1, 1, 16, 16, 16), tagger.runs);
    }

    @Test
    void aModelThatTakesOneImageAtATimeWarmsUpWithSingleImages() {
        CountingTagger tagger = new CountingTagger();
        WarmUp.run(tagger, 12, 1);
        assertEquals(List.of(1, 1, 1), tagger.runs);
    }
}
