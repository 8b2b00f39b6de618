package tagger.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tagger.common.Timings;
import tagger.launcher.bench.StageSamples.Stage;

class StageSamplesTest {

    @Test
    void overheadIsTotalMinusDownloadPreprocessAndInference() {
        Timings t = new Timings(2.0, 3.0, 4.0, 5.0, 0.5, 6.0, 1.0, 16.0, 1);

        assertEquals(3.0, StageSamples.overhead(t), 1e-9);
    }

    @Test
    void everyStageIsCollectedPerRequestAlongWithTheClientRoundTrip() {
        StageSamples s = new StageSamples();
        s.add(new Timings(1, 2, 3, 4, 5, 6, 7, 20, 1), 25.0);
        s.add(new Timings(3, 2, 3, 4, 5, 6, 7, 30, 1), 35.0);
        s.add(new Timings(2, 2, 3, 4, 5, 6, 7, 25, 1), 30.0);

        assertEquals(3, s.size());
        assertEquals(2.0, s.sample(Stage.DOWNLOAD).median());
        assertEquals(7.0, s.sample(Stage.RESULT).median());
        assertEquals(25.0, s.sample(Stage.TOTAL).median());
        assertEquals(30.0, s.sample(Stage.CLIENT).median());
        assertEquals(13.0, s.sample(Stage.OVERHEAD).median(), "20-1-4-6, 30-3-4-6, 25-2-4-6");
        assertEquals(17.0, s.sample(Stage.OVERHEAD).max());
    }
}
