package tagger.loadtest.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KneeSearchTest {

    @Test
    void doublesUntilAMissThenBisectsTowardTheKnee() throws InterruptedException {
        // a server that meets the SLO up to 37 req/s
        KneeSearch.Result r = KneeSearch.search(5, 1000, 3, "the SLO", rate -> new KneeSearch.Verdict(rate <= 37, true));
        assertEquals(List.of(5.0, 10.0, 20.0, 40.0, 30.0, 35.0, 37.5), r.rates());
        assertEquals(35.0, r.knee().getAsDouble());
        assertEquals("knee between 35/s (met) and 37.5/s (missed)", r.note());
    }

    @Test
    void aLevelTheGeneratorCouldNotDriveEndsTheSearchAtTheLastTrustedRate() throws InterruptedException {
        KneeSearch.Result r = KneeSearch.search(5, 1000, 3, "the SLO", rate -> new KneeSearch.Verdict(true, rate < 20));
        assertEquals(List.of(5.0, 10.0, 20.0), r.rates());
        assertEquals(10.0, r.knee().getAsDouble());
        assertTrue(r.note().startsWith("stopped at 20/s: the generator could not keep that schedule"), r.note());
    }

    @Test
    void missingAtTheStartRateFindsNoKnee() throws InterruptedException {
        KneeSearch.Result r = KneeSearch.search(5, 1000, 3, "the SLO", rate -> new KneeSearch.Verdict(false, true));
        assertTrue(r.knee().isEmpty());
        assertEquals("the SLO was missed already at the start rate 5/s; start lower", r.note());
    }

    @Test
    void holdingUpToTheMaximumStopsThere() throws InterruptedException {
        KneeSearch.Result r = KneeSearch.search(10, 60, 3, "the SLO", rate -> new KneeSearch.Verdict(true, true));
        assertEquals(List.of(10.0, 20.0, 40.0, 60.0), r.rates());
        assertEquals(60.0, r.knee().getAsDouble());
    }
}
