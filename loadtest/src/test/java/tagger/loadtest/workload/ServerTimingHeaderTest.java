package tagger.loadtest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerTimingHeaderTest {

    @Test
    void theApiServersHeaderBecomesStagesInOrder() {
        Map<String, Double> stages = ServerTimingHeader.parse("download;dur=12.5, publish;dur=1.0, queue;dur=3.2, "
                + "preprocess;dur=4.0, batch-wait;dur=0.5, inference;dur=8.1, result;dur=0.7, total;dur=30.0");
        assertEquals(List.of("download", "publish", "queue", "preprocess", "batch-wait", "inference", "result", "total"),
                List.copyOf(stages.keySet()));
        assertEquals(12.5, stages.get("download"));
        assertEquals(30.0, stages.get("total"));
    }

    @Test
    void descriptionsQuotesAndOddSpacingAreAccepted() {
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("db", 53.0);
        expected.put("app", 47.2);
        assertEquals(expected, ServerTimingHeader.parse("db;desc=\"Database\";dur=53 ,app ; dur = \"47.2\""));
    }

    @Test
    void malformedEntriesAreSkippedNeverFatal() {
        assertEquals(Map.of("ok", 1.0), ServerTimingHeader.parse("cache;desc=hit, bad;dur=abc, neg;dur=-1, "
                + "we ird;dur=3, ok;dur=1"));
        assertEquals(Map.of(), ServerTimingHeader.parse(null));
        assertEquals(Map.of(), ServerTimingHeader.parse(""));
    }

    @Test
    void aServerSendingHundredsOfMetricsIsCappedAtSixteen() {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            h.append("m").append(i).append(";dur=1,");
        }
        assertEquals(ServerTimingHeader.MAX_STAGES, ServerTimingHeader.parse(h.toString()).size());
    }
}
