package tagger.api.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tagger.common.CachedTags;
import tagger.common.ModelRef;
import tagger.common.Tag;

class CacheAnswerTest {
    private static final ModelRef MODEL = new ModelRef("demo-colors", "1");
    private static final Tag RED = new Tag("red", 0.9);
    private static final Tag DARK = new Tag("dark", 0.5);
    private static final Tag WARM = new Tag("warm", 0.2);

    /** Three tags stored from a request with topK 3, minScore 0.1; model defaults 5 and 0.0; 10 labels. */
    private static final CachedTags FULL = new CachedTags(List.of(RED, DARK, WARM), MODEL, 3, 0.1, 5, 0.0, 10, true);
    /** Fewer tags than its topK: every label scoring at least 0.1 is listed. */
    private static final CachedTags EXHAUSTIVE = new CachedTags(List.of(RED, DARK, WARM), MODEL, 5, 0.1, 5, 0.0, 10,
            true);

    @Test
    void theSameOptionsGetTheStoredTags() {
        assertEquals(Optional.of(List.of(RED, DARK, WARM)), CacheAnswer.answer(FULL, 3, 0.1));
    }

    @Test
    void fewerTagsOrAHigherMinScoreAreCutFromTheStoredList() {
        assertEquals(Optional.of(List.of(RED)), CacheAnswer.answer(FULL, 1, 0.1));
        assertEquals(Optional.of(List.of(RED, DARK)), CacheAnswer.answer(FULL, 3, 0.4));
        assertEquals(Optional.of(List.of()), CacheAnswer.answer(FULL, 2, 0.95));
    }

    @Test
    void moreTagsThanAFullEntryHoldsIsAMiss() {
        assertTrue(CacheAnswer.answer(FULL, 4, 0.1).isEmpty());
    }

    @Test
    void aLowerMinScoreThanTheEntryUsedIsAMiss() {
        assertTrue(CacheAnswer.answer(FULL, 2, 0.05).isEmpty());
    }

    @Test
    void anEntryShorterThanItsTopKAnswersAnyLargerTopK() {
        assertEquals(Optional.of(List.of(RED, DARK, WARM)), CacheAnswer.answer(EXHAUSTIVE, 10, 0.1));
    }

    @Test
    void absentOptionsMeanTheModelDefaultsTheEntryRecorded() {
        // defaults are topK 5, minScore 0.0: lower than the entry's 0.1, so the worker might list more
        assertTrue(CacheAnswer.answer(EXHAUSTIVE, null, null).isEmpty());
        CachedTags fromDefaults = new CachedTags(List.of(RED, DARK, WARM), MODEL, 5, 0.0, 5, 0.0, 10, true);
        assertEquals(Optional.of(List.of(RED, DARK, WARM)), CacheAnswer.answer(fromDefaults, null, null));
    }

    @Test
    void optionsTheWorkerWouldRefuseAreLeftToTheWorker() {
        assertTrue(CacheAnswer.answer(EXHAUSTIVE, 11, 0.1).isEmpty(), "topK above the label count");
        assertTrue(CacheAnswer.answer(EXHAUSTIVE, 2, 1.5).isEmpty(), "minScore above 1 for probabilities");
    }
}
