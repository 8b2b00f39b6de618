package tagger.api.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tagger.api.download.DownloadException;
import tagger.api.download.OriginStatusException;
import tagger.tracing.TraceKit;

/**
 * Bulk tracing: the submission is one trace (its HTTP span); each item traced gets a trace of its own,
 * rooted in a {@code bulk item} span linked to the submission's span, so that a batch of 100 000 items
 * is not one trace of a million spans. Only a fraction of items is traced ({@code TAGGER_TRACE_BULK_ITEMS},
 * default 0.001; 1 traces every item); the others carry no trace context at all.
 */
public final class BulkSpans {
    private BulkSpans() {
    }

    /**
     * The trace context item {@code itemId} of a batch carries. With tracing off: the submission's
     * {@code traceparent} as given (as before tracing existed).
     */
    public static String item(String submission, String batchId, String itemId) {
        TraceKit kit = TraceKit.current();
        if (!kit.on()) {
            return submission;
        }
        double ratio = kit.bulkItemRatio();
        if (ratio <= 0 || (ratio < 1 && ThreadLocalRandom.current().nextDouble() >= ratio)) {
            return null;
        }
        Span span = kit.linked("bulk item", submission == null ? List.of() : List.of(submission));
        span.setAttribute("tagger.batch_id", batchId);
        span.setAttribute("tagger.item_id", itemId);
        span.end();
        return TraceKit.traceparent(span);
    }

    /** A failed download attempt will be tried again after {@code delay}: recorded as a span of that wait. */
    public static void retryWait(String traceparent, int attempt, DownloadException e, Duration delay) {
        TraceKit kit = TraceKit.current();
        if (!kit.on() || traceparent == null) {
            return;
        }
        long now = TraceKit.nowMicros();
        String retryAfter = e instanceof OriginStatusException o && o.retryAfter() != null ? o.retryAfter() : "";
        kit.record("retry wait", traceparent, now, now + delay.toNanos() / 1000, Attributes.of(
                AttributeKey.longKey("tagger.attempt"), (long) attempt,
                AttributeKey.stringKey("error.type"), e.code().code(),
                AttributeKey.stringKey("retry_after"), retryAfter,
                AttributeKey.longKey("tagger.delay_ms"), delay.toMillis()));
    }
}
