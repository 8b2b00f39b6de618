package tagger.api.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tagger.transport.BatchStore;
import tagger.transport.DecayingRate;

/**
 * A batch as {@code GET /v1/batches/{id}} shows it, and as its callback reports it: counters, state,
 * the current rate (items per second over roughly the last {@link DecayingRate#TAU_MS} ms) and the
 * ETA that rate gives for the pending items.
 *
 * @param items   every accepted item; absent while the intake is still queueing them
 * @param pending items without an outcome yet
 * @param etaSeconds absent while no rate is known (nothing finished lately); 0 once complete
 * @param deadline   when the client wants the batch finished ({@code targetSeconds} or {@code deadline} at
 *                   submission); absent when it named no target
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BatchView(String batchId, String status, Long items, long done, long failed, long cancelled, Long pending,
        boolean complete, double ratePerSecond, Double etaSeconds, String createdAt, String finishedAt,
        String deadline, Options options, Callback callback, String statusUrl, String resultsUrl) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Options(Integer topK, Double minScore) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Callback(String url, String state) {
    }

    static BatchView of(BatchStore.Batch b, long nowMs) {
        boolean known = b.items() >= 0;
        double rate = rate(b, nowMs);
        return new BatchView(b.id(), b.state().key(), known ? b.items() : null, b.done(), b.failed(), b.cancelled(),
                known ? b.pending() : null, b.complete(), rate,
                b.complete() ? Double.valueOf(0) : eta(known ? b.pending() : -1, rate), iso(b.createdAt()),
                iso(b.finishedAt()), iso(b.deadlineAt()), new Options(b.topK(), b.minScore()),
                b.callbackUrl() == null ? null : new Callback(b.callbackUrl(), b.callbackState()),
                statusUrl(b.id()), statusUrl(b.id()) + "/results");
    }

    /** The batch's current rate, rounded as shown: what the status, the callback and the operator view say. */
    static double rate(BatchStore.Batch b, long nowMs) {
        return b.complete() ? 0 : Math.round(b.rate().perSecond(nowMs, DecayingRate.TAU_MS) * 10) / 10.0;
    }

    /** Seconds until {@code pending} items are done at {@code perSecond}; null when either is unknown. */
    static Double eta(long pending, double perSecond) {
        if (pending < 0) {
            return null;
        }
        if (pending == 0) {
            return 0.0;
        }
        if (!(perSecond > 0)) {
            return null;
        }
        return Math.round(pending / perSecond * 10) / 10.0;
    }

    static String statusUrl(String batchId) {
        return "/v1/batches/" + batchId;
    }

    private static String iso(long epochMs) {
        return epochMs <= 0 ? null : Instant.ofEpochMilli(epochMs).toString();
    }
}
