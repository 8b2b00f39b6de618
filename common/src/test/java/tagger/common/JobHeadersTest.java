package tagger.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobHeadersTest {

    @Test
    void everyFieldSurvivesARoundTrip() {
        JobMeta meta = new JobMeta("r1", "api-7", TrafficClass.BULK, 1000, 6000, 1200, 12.5, "demo", 3, 0.25,
                "http://x/a.jpg", "b1", "item-9", "00-abc-def-01", Sha256.hex("bytes"), true, 0);
        assertEquals(meta, JobHeaders.decode(JobHeaders.encode(meta)));
        JobMeta edge = meta.withEdgeMs(17.25);
        assertEquals(edge, JobHeaders.decode(JobHeaders.encode(edge)), "the edge preprocessing time travels too");
        assertFalse(JobHeaders.encode(meta).containsKey(JobHeaders.EDGE_MS), "no edge header for an original");
    }

    @Test
    void optionalFieldsAreLeftOutAndComeBackAsNull() {
        JobMeta meta = new JobMeta("r2", null, TrafficClass.REALTIME, 1, 0, 2, 0, "", null, null, null, null, null,
                null);
        Map<String, Object> headers = JobHeaders.encode(meta);
        assertFalse(headers.containsKey(JobHeaders.TOP_K));
        assertFalse(headers.containsKey(JobHeaders.REPLY_TO));
        assertFalse(headers.containsKey(JobHeaders.CONTENT_SHA256));
        assertFalse(headers.containsKey(JobHeaders.NO_CACHE));
        JobMeta back = JobHeaders.decode(headers);
        assertNull(back.topK());
        assertNull(back.minScore());
        assertEquals("", back.model());
        assertNull(back.contentHash());
        assertFalse(back.noCache());
    }

    @Test
    void headerValuesAreReadThroughToString() {
        // the AMQP client hands back strings as LongString wrappers; anything with toString() must do
        Map<String, Object> headers = new HashMap<>();
        headers.put(JobHeaders.REQUEST_ID, new StringBuilder("r3"));
        headers.put(JobHeaders.TRAFFIC_CLASS, new StringBuilder("realtime"));
        headers.put(JobHeaders.DEADLINE, "500");
        JobMeta meta = JobHeaders.decode(headers);
        assertEquals("r3", meta.requestId());
        assertEquals(500, meta.deadline());
    }

    @Test
    void missingRequestIdIsRejectedByName() {
        Map<String, Object> headers = Map.of(JobHeaders.TRAFFIC_CLASS, "realtime");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobHeaders.decode(headers));
        assertEquals("message has no x-request-id header", e.getMessage());
    }

    @Test
    void unknownTrafficClassNamesTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrafficClass.fromKey("urgent"));
        assertEquals("traffic class must be 'realtime' or 'bulk', got 'urgent'", e.getMessage());
    }

    @Test
    void deadlineZeroNeverExpires() {
        JobMeta none = new JobMeta("r", null, TrafficClass.BULK, 0, 0, 0, 0, "", null, null, null, null, null, null);
        JobMeta set = new JobMeta("r", null, TrafficClass.BULK, 0, 100, 0, 0, "", null, null, null, null, null, null);
        assertFalse(none.expiredAt(Long.MAX_VALUE));
        assertFalse(set.expiredAt(99));
        assertTrue(set.expiredAt(100));
    }
}
