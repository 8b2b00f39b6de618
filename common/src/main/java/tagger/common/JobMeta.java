package tagger.common;

import java.util.Objects;

/**
 * Everything a worker needs to know about one image besides its bytes; travels as AMQP headers
 * (see {@link JobHeaders}).
 *
 * @param requestId    unique per image request; every stage logs it
 * @param replyTo      id of the api-server instance waiting for the answer, or null when nobody waits
 * @param trafficClass which queue the job travels through
 * @param receivedAt   epoch ms when the api-server received the HTTP request
 * @param deadline     absolute epoch ms after which nobody wants the answer; 0 means none
 * @param enqueuedAt   epoch ms when the job was handed to the broker
 * @param downloadMs   how long the api-server spent downloading the image
 * @param model        model selector; empty means the worker's model
 * @param topK         how many tags to return, or null for the model's default
 * @param minScore     lowest score to return, or null for the model's default
 * @param url          where the image came from, or null for uploaded bytes
 * @param batchId      bulk batch this item belongs to, or null
 * @param itemId       client-chosen item id within the batch, or null
 * @param traceparent  W3C trace context, or null
 * @param contentHash  SHA-256 hex of the image bytes: the worker stores a successful result in the
 *                     result cache under it (and its own model); null when the result must not be cached
 * @param noCache      the caller opted out of the result cache (a bulk batch's {@code "cache": false},
 *                     carried by its items from intake to the download stage)
 * @param edgeMs       how long the api-server spent preprocessing the image (0 when it sent the original)
 * @param tracestate   W3C trace state that goes with {@code traceparent}, or null (empty becomes null;
 *                     a malformed one is an error: see {@link TraceState})
 */
public record JobMeta(
        String requestId,
        String replyTo,
        TrafficClass trafficClass,
        long receivedAt,
        long deadline,
        long enqueuedAt,
        double downloadMs,
        String model,
        Integer topK,
        Double minScore,
        String url,
        String batchId,
        String itemId,
        String traceparent,
        String contentHash,
        boolean noCache,
        double edgeMs,
        String tracestate) {

    /** Metadata without a trace state. */
    public JobMeta(String requestId, String replyTo, TrafficClass trafficClass, long receivedAt, long deadline,
            long enqueuedAt, double downloadMs, String model, Integer topK, Double minScore, String url,
            String batchId, String itemId, String traceparent, String contentHash, boolean noCache, double edgeMs) {
        this(requestId, replyTo, trafficClass, receivedAt, deadline, enqueuedAt, downloadMs, model, topK, minScore,
                url, batchId, itemId, traceparent, contentHash, noCache, edgeMs, null);
    }

    /** Metadata of a job that carries the original image, without a content hash: the result is not cached. */
    public JobMeta(String requestId, String replyTo, TrafficClass trafficClass, long receivedAt, long deadline,
            long enqueuedAt, double downloadMs, String model, Integer topK, Double minScore, String url,
            String batchId, String itemId, String traceparent) {
        this(requestId, replyTo, trafficClass, receivedAt, deadline, enqueuedAt, downloadMs, model, topK, minScore,
                url, batchId, itemId, traceparent, null, false, 0);
    }

    /**
     * A real-time image request: {@code replyTo} waits for the answer until {@code deadline}. Enqueued
     * as received; {@link #withDownload}, {@link #withEnqueuedAt} and {@link #withContentHash} add the rest.
     */
    public static JobMeta realtime(String requestId, String replyTo, long receivedAt, long deadline, Integer topK,
            Double minScore, String traceparent) {
        return new JobMeta(requestId, replyTo, TrafficClass.REALTIME, receivedAt, deadline, receivedAt, 0, "", topK,
                minScore, null, null, null, traceparent, null, false, 0);
    }

    /**
     * One item of a bulk batch as the intake queues it (its URL, not yet downloaded): nobody waits for it
     * and it has no deadline of its own. Enqueued as received.
     */
    public static JobMeta bulkItem(String requestId, String batchId, String itemId, String url, long receivedAt,
            Integer topK, Double minScore, boolean noCache, String traceparent) {
        return new JobMeta(requestId, null, TrafficClass.BULK, receivedAt, 0, receivedAt, 0, "", topK, minScore, url,
                batchId, itemId, traceparent, null, noCache, 0);
    }

    public JobMeta {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(trafficClass, "trafficClass");
        model = model == null ? "" : model;
        tracestate = TraceState.require(tracestate);
    }

    /** True when the deadline is set and lies at or before {@code nowMs}. */
    public boolean expiredAt(long nowMs) {
        return deadline > 0 && nowMs >= deadline;
    }

    /** A copy with a new enqueue time (set right before publishing). */
    public JobMeta withEnqueuedAt(long epochMs) {
        return new JobMeta(requestId, replyTo, trafficClass, receivedAt, deadline, epochMs, downloadMs, model,
                topK, minScore, url, batchId, itemId, traceparent, contentHash, noCache, edgeMs, tracestate);
    }

    /** A copy saying the image came from {@code url} (null: uploaded) and took {@code ms} to download. */
    public JobMeta withDownload(String url, double ms) {
        return new JobMeta(requestId, replyTo, trafficClass, receivedAt, deadline, enqueuedAt, ms, model,
                topK, minScore, url, batchId, itemId, traceparent, contentHash, noCache, edgeMs, tracestate);
    }

    /** A copy whose successful result the worker caches under {@code sha256} (null: not cached). */
    public JobMeta withContentHash(String sha256) {
        return new JobMeta(requestId, replyTo, trafficClass, receivedAt, deadline, enqueuedAt, downloadMs, model,
                topK, minScore, url, batchId, itemId, traceparent, sha256, noCache, edgeMs, tracestate);
    }

    /** A copy saying the api-server spent {@code ms} preprocessing the image at the edge. */
    public JobMeta withEdgeMs(double ms) {
        return new JobMeta(requestId, replyTo, trafficClass, receivedAt, deadline, enqueuedAt, downloadMs, model,
                topK, minScore, url, batchId, itemId, traceparent, contentHash, noCache, ms, tracestate);
    }

    /** A copy carrying the W3C {@code tracestate} that goes with its traceparent (null or empty: none). */
    public JobMeta withTracestate(String state) {
        return new JobMeta(requestId, replyTo, trafficClass, receivedAt, deadline, enqueuedAt, downloadMs, model,
                topK, minScore, url, batchId, itemId, traceparent, contentHash, noCache, edgeMs, state);
    }
}
