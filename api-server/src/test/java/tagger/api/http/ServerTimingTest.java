package tagger.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;
import tagger.common.ItemError;
import tagger.common.ModelRef;
import tagger.common.Tag;
import tagger.common.TagResult;
import tagger.common.Timings;

class ServerTimingTest {

    private static TagResult withTimings(Timings t) {
        return new TagResult("r", "https://a/1", null, List.of(new Tag("red", 0.9)), new ModelRef("m", "1"), t, null);
    }

    @Test
    void everyStageIsListedInPipelineOrderWithOneDecimal() {
        Timings t = new Timings(12.34, 1.05, 3, 4.5, 0.25, 7.75, 0.04, 30.06, 8);
        assertEquals("download;dur=12.3, publish;dur=1.1, queue;dur=3.0, preprocess;dur=4.5, batch-wait;dur=0.3, "
                + "inference;dur=7.8, result;dur=0.0, total;dur=30.1", ServerTiming.of(t));
    }

    @Test
    void aCacheVerdictFollowsTheStagesAsADescription() {
        Timings hit = Timings.cacheHit(2, 3);
        assertTrue(ServerTiming.of(hit).endsWith("total;dur=3.0, cache;desc=hit"), ServerTiming.of(hit));
        assertTrue(ServerTiming.of(hit.withCache(null)).endsWith("total;dur=3.0"));
    }

    @Test
    void aListSaysHitWhenEveryItemHitAndCountsTheHitsWhenSomeDid() {
        Timings hit = Timings.cacheHit(2, 3);
        Timings miss = hit.withCache(Timings.CACHE_MISS);
        assertTrue(ServerTiming.ofList(List.of(withTimings(hit), withTimings(hit)), 5).endsWith(", cache;desc=hit"));
        assertTrue(ServerTiming.ofList(List.of(withTimings(hit), withTimings(miss)), 5)
                .endsWith(", cache;desc=\"1/2 hits\""));
        assertTrue(ServerTiming.ofList(List.of(withTimings(miss)), 5).endsWith(", cache;desc=miss"));
    }

    @Test
    void durationsUseADecimalPointWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String header = ServerTiming.of(new Timings(1.5, 0, 0, 0, 0, 0, 0, 2.5, 1));
            assertEquals("download;dur=1.5", header.split(", ")[0]);
            assertEquals("total;dur=2.5", header.split(", ")[7]);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void eachMetricIsAValidServerTimingEntry() {
        // W3C: metric = token *( OWS ";" OWS param ); entries separated by ","
        String header = ServerTiming.of(new Timings(1, 2, 3, 4, 5, 6, 7, 8, 1));
        Arrays.stream(header.split(", ")).forEach(entry ->
                assertTrue(entry.matches("[a-z-]+;dur=\\d+\\.\\d"), entry));
    }

    @Test
    void aListReportsEachStagesSlowestItemAndTheRequestsOwnTotal() {
        TagResult a = withTimings(new Timings(10, 1, 50, 2, 1, 9, 3, 80, 4));
        TagResult b = withTimings(new Timings(40, 2, 5, 6, 0, 7, 1, 70, 2));
        assertEquals("download;dur=40.0, publish;dur=2.0, queue;dur=50.0, preprocess;dur=6.0, batch-wait;dur=1.0, "
                + "inference;dur=9.0, result;dur=3.0, total;dur=95.0", ServerTiming.ofList(List.of(a, b), 95));
    }

    @Test
    void aListItemWithoutTimingsIsSkipped() {
        TagResult none = new TagResult("r", "https://a/1", null, null, null, null,
                new ItemError(ErrorCode.INVALID_URL, "bad"));
        TagResult b = withTimings(new Timings(4, 0, 0, 0, 0, 0, 0, 5, 1));
        assertEquals("download;dur=4.0, publish;dur=0.0, queue;dur=0.0, preprocess;dur=0.0, batch-wait;dur=0.0, "
                + "inference;dur=0.0, result;dur=0.0, total;dur=6.0", ServerTiming.ofList(List.of(none, b), 6));
    }
}
