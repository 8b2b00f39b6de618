package tagger.loadtest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bulk scenario's exactly-once check of a finished batch's results log. */
class BatchOutcomesTest {
    private static final String TAGGED = "{\"id\":\"%s\",\"url\":\"http://o/x.jpg\",\"tags\":[{\"label\":\"red\",\"score\":0.9}]}";
    private static final String FAILED = "{\"id\":\"%s\",\"url\":\"http://o/x.jpg\",\"error\":{\"code\":\"%s\",\"message\":\"m\"}}";

    @Test
    void everyItemOnceOverSeveralPagesIsExactlyOnce() {
        BatchOutcomes o = new BatchOutcomes(Set.of("a", "b", "c"));
        o.addPage(TAGGED.formatted("a") + "\n" + FAILED.formatted("b", "origin_status") + "\n");
        o.addPage(TAGGED.formatted("c") + "\n");
        assertTrue(o.exactlyOnce());
        assertEquals(2, o.tagged());
        assertEquals(List.of("origin_status"), o.itemErrors());
    }

    @Test
    void aDuplicateCountsOnceAsTaggedAndOnceAsADuplicate() {
        BatchOutcomes o = new BatchOutcomes(Set.of("a", "b"));
        o.addPage(TAGGED.formatted("a") + "\n" + TAGGED.formatted("b") + "\n" + TAGGED.formatted("a"));
        assertFalse(o.exactlyOnce());
        assertEquals(2, o.tagged());
        assertEquals(List.of(BatchOutcomes.DUPLICATE), o.itemErrors());
    }

    @Test
    void aMissingItemAndAnUnknownIdAreErrorsOfTheirOwn() {
        BatchOutcomes o = new BatchOutcomes(Set.of("a", "b"));
        o.addPage(TAGGED.formatted("a") + "\n" + TAGGED.formatted("zz") + "\nnot json\n");
        assertFalse(o.exactlyOnce());
        assertEquals(1, o.tagged());
        assertEquals(List.of(BatchOutcomes.UNKNOWN, BatchOutcomes.UNREADABLE, BatchOutcomes.MISSING), o.itemErrors());
    }

    @Test
    void anEmptyLogMeansEveryItemIsMissing() {
        BatchOutcomes o = new BatchOutcomes(Set.of("a", "b"));
        o.addPage("");
        assertFalse(o.exactlyOnce());
        assertEquals(List.of(BatchOutcomes.MISSING, BatchOutcomes.MISSING), o.itemErrors());
    }
}
