package tagger.common;

import java.util.HashMap;
import java.util.Map;

/**
 * Codec between {@link JobMeta} and AMQP message headers. Header values read back from the broker
 * may be wrapper types (the AMQP client's {@code LongString}), so decoding goes through
 * {@code toString()}.
 */
public final class JobHeaders {
    public static final String REQUEST_ID = "x-request-id";
    public static final String REPLY_TO = "x-reply-to";
    public static final String TRAFFIC_CLASS = "x-traffic-class";
    public static final String RECEIVED_AT = "x-received-at";
    public static final String DEADLINE = "x-deadline";
    public static final String ENQUEUED_AT = "x-enqueued-at";
    public static final String DOWNLOAD_MS = "x-download-ms";
    public static final String MODEL = "x-model";
    public static final String TOP_K = "x-top-k";
    public static final String MIN_SCORE = "x-min-score";
    public static final String URL = "x-url";
    public static final String BATCH_ID = "x-batch-id";
    public static final String ITEM_ID = "x-item-id";
    public static final String TRACEPARENT = "traceparent";
    /** Optional; absent when the trace has no state. A malformed value is read as absent (W3C: discard it). */
    public static final String TRACESTATE = "tracestate";
    public static final String CONTENT_SHA256 = "x-content-sha256";
    public static final String NO_CACHE = "x-no-cache";
    public static final String EDGE_MS = "x-edge-ms";

    private JobHeaders() {
    }

    /** Encodes the metadata; absent optional fields are left out. */
    public static Map<String, Object> encode(JobMeta m) {
        Map<String, Object> h = new HashMap<>();
        h.put(REQUEST_ID, m.requestId());
        putIfSet(h, REPLY_TO, m.replyTo());
        h.put(TRAFFIC_CLASS, m.trafficClass().key());
        h.put(RECEIVED_AT, m.receivedAt());
        h.put(DEADLINE, m.deadline());
        h.put(ENQUEUED_AT, m.enqueuedAt());
        h.put(DOWNLOAD_MS, Double.toString(m.downloadMs()));
        putIfSet(h, MODEL, m.model().isEmpty() ? null : m.model());
        if (m.topK() != null) {
            h.put(TOP_K, m.topK());
        }
        if (m.minScore() != null) {
            h.put(MIN_SCORE, Double.toString(m.minScore()));
        }
        putIfSet(h, URL, m.url());
        putIfSet(h, BATCH_ID, m.batchId());
        putIfSet(h, ITEM_ID, m.itemId());
        putIfSet(h, TRACEPARENT, m.traceparent());
        putIfSet(h, TRACESTATE, m.tracestate());
        putIfSet(h, CONTENT_SHA256, m.contentHash());
        if (m.noCache()) {
            h.put(NO_CACHE, "true");
        }
        if (m.edgeMs() > 0) {
            h.put(EDGE_MS, Double.toString(m.edgeMs()));
        }
        return h;
    }

    /** Decodes headers written by {@link #encode}; a missing request id or traffic class is an error. */
    public static JobMeta decode(Map<String, Object> h) {
        String requestId = string(h, REQUEST_ID);
        if (requestId == null) {
            throw new IllegalArgumentException("message has no " + REQUEST_ID + " header");
        }
        String cls = string(h, TRAFFIC_CLASS);
        if (cls == null) {
            throw new IllegalArgumentException("message " + requestId + " has no " + TRAFFIC_CLASS + " header");
        }
        String topK = string(h, TOP_K);
        String minScore = string(h, MIN_SCORE);
        String download = string(h, DOWNLOAD_MS);
        String edge = string(h, EDGE_MS);
        return new JobMeta(
                requestId,
                string(h, REPLY_TO),
                TrafficClass.fromKey(cls),
                number(h, RECEIVED_AT),
                number(h, DEADLINE),
                number(h, ENQUEUED_AT),
                download == null ? 0 : Double.parseDouble(download),
                string(h, MODEL),
                topK == null ? null : Integer.valueOf(topK),
                minScore == null ? null : Double.valueOf(minScore),
                string(h, URL),
                string(h, BATCH_ID),
                string(h, ITEM_ID),
                string(h, TRACEPARENT),
                string(h, CONTENT_SHA256),
                "true".equals(string(h, NO_CACHE)),
                edge == null ? 0 : Double.parseDouble(edge),
                TraceState.orNull(string(h, TRACESTATE)));
    }

    private static void putIfSet(Map<String, Object> h, String name, String value) {
        if (value != null) {
            h.put(name, value);
        }
    }

    private static String string(Map<String, Object> h, String name) {
        Object v = h == null ? null : h.get(name);
        return v == null ? null : v.toString();
    }

    private static long number(Map<String, Object> h, String name) {
        Object v = h == null ? null : h.get(name);
        if (v == null) {
            return 0;
        }
        return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
    }
}
