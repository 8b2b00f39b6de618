package tagger.api.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A parsed {@code POST /v1/batches}: options, the items that passed validation, and why the others
 * did not.
 *
 * @param rejected     the first {@link BatchParser#MAX_REPORTED} rejections, in input order
 * @param rejectedCount every rejection, also those not listed
 * @param fingerprint  SHA-256 of the options and accepted items: a resubmission under the same
 *                     idempotency key must carry the same
 */
record BatchSubmission(Options options, List<Item> items, List<Rejection> rejected, int rejectedCount,
        String fingerprint) {

    /**
     * Batch-wide choices; null means the model's default (or none). At most one of
     * {@code targetSeconds} (finish within, from submission) and {@code deadline} (finish by) is set.
     *
     * @param cache false opts the batch's items out of the result cache
     */
    record Options(Integer topK, Double minScore, String callbackUrl, String batchId, Long targetSeconds,
            Instant deadline, boolean cache) {

        Options(Integer topK, Double minScore, String callbackUrl, String batchId) {
            this(topK, minScore, callbackUrl, batchId, null, null, true);
        }

        /** When the batch should be finished, epoch ms; 0 when no target was asked for. */
        long deadlineAt(long submittedAtMs) {
            return deadline != null ? deadline.toEpochMilli()
                    : targetSeconds != null ? submittedAtMs + targetSeconds * 1000 : 0;
        }
    }

    /** One valid item. */
    record Item(String id, String url) {
    }

    /**
     * Why one item was refused: its position among the items (from 0), its NDJSON line (from 1, null
     * for JSON bodies), its id when it had a readable one, and the rule it broke.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Rejection(int index, Integer line, String id, String reason) {
    }
}
