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
        assertFalse(headers.containsKey(JobHeaders.TRACESTATE));
        assertFalse(JobHeaders.encode(meta.withTracestate("")).containsKey(JobHeaders.TRACESTATE),
                "an empty tracestate is no header");
        JobMeta back = JobHeaders.decode(headers);
        assertNull(back.topK());
        assertNull(back.minScore());
        assertEquals("", back.model());
        assertNull(back.contentHash());
        assertFalse(back.noCache());
    }

    @Test
    void tracestateTravelsBesideTraceparent() {
        JobMeta meta = JobMeta.realtime("r4", "api-1", 1, 2, null, null,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").withTracestate("congo=t61rcWkgMzE, rojo=00f067aa0ba902b7");
        Map<String, Object> headers = JobHeaders.encode(meta);
        assertEquals("congo=t61rcWkgMzE, rojo=00f067aa0ba902b7", headers.get(JobHeaders.TRACESTATE));
        assertEquals(meta, JobHeaders.decode(headers));
        assertEquals(meta.tracestate(), JobHeaders.decode(headers).withEnqueuedAt(9).withContentHash("h").tracestate(),
                "copies keep it");
    }

    @Test
    void aMalformedTracestateHeaderIsDiscardedAndAMalformedFieldRefused() {
        Map<String, Object> headers = new HashMap<>(JobHeaders.encode(JobMeta.realtime("r5", null, 1, 2, null, null,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));
        for (String bad : new String[] {"no-equals", "UPPER=1", "k=v=w", "k=" + "v".repeat(600), "k=", "k=a,b"}) {
            headers.put(JobHeaders.TRACESTATE, bad);
            assertNull(JobHeaders.decode(headers).tracestate(), bad);
        }
        headers.put(JobHeaders.TRACESTATE, "a=1,,b@sys=2");
        assertEquals("a=1,,b@sys=2", JobHeaders.decode(headers).tracestate(), "empty list-members are allowed");
        StringBuilder many = new StringBuilder("k0=v");
        for (int i = 1; i < 33; i++) {
            many.append(",k").append(i).append("=v");
        }
        headers.put(JobHeaders.TRACESTATE, many.toString());
        assertNull(JobHeaders.decode(headers).tracestate(), "33 list-members");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobMeta.realtime("r6", null, 1, 2, null, null, null).withTracestate("UPPER=1"));
        assertEquals("tracestate list-members must be key=value (W3C trace-context), not 'UPPER=1', got 'UPPER=1'",
                e.getMessage());
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
