package tagger.worker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import tagger.common.JobMeta;
import tagger.tracing.TraceKit;

/**
 * The worker's spans. Every job's spans are children of the context its message carries (the
 * api-server's publish span): {@code queue wait}, {@code preprocess}, {@code batch wait} and
 * {@code result write}. A batch's {@code inference} is one span for the whole batch, linked to each
 * job's context rather than a child of any one of them.
 *
 * <p>Waits are recorded after the fact, from times the pipeline measures anyway, so the pipeline
 * needs one call per stage boundary and nothing is held per job. With tracing off each call returns
 * at its first line.
 */
public final class WorkerSpans {
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("tagger.request_id");
    private static final AttributeKey<String> TRAFFIC = AttributeKey.stringKey("tagger.traffic_class");
    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("tagger.batch_size");

    private WorkerSpans() {
    }

    /** The job waited in the queue from its enqueue time until now. */
    public static void queueWait(JobMeta meta, int previousDeliveries) {
        TraceKit kit = TraceKit.current();
        if (!kit.on() || meta.traceparent() == null) {
            return;
        }
        long now = TraceKit.nowMicros();
        long start = meta.enqueuedAt() > 0 ? meta.enqueuedAt() * 1000 : now;
        kit.record("queue wait", meta.traceparent(), meta.tracestate(), start, now, Attributes.of(REQUEST_ID, meta.requestId(),
                TRAFFIC, meta.trafficClass().key(), AttributeKey.longKey("tagger.previous_deliveries"),
                (long) previousDeliveries));
    }

    /** The job's decode and preprocessing took the last {@code millis}. */
    public static void preprocessed(JobMeta meta, double millis) {
        TraceKit kit = TraceKit.current();
        if (!kit.on() || meta.traceparent() == null) {
            return;
        }
        long now = TraceKit.nowMicros();
        kit.record("preprocess", meta.traceparent(), meta.tracestate(), now - (long) (millis * 1000), now,
                Attributes.of(REQUEST_ID, meta.requestId()));
    }

    /** Starts the inference span of a batch of {@code n} jobs, {@code meta(i)} being the i-th's. */
    public static Batch inference(int n, IntFunction<JobMeta> meta) {
        TraceKit kit = TraceKit.current();
        if (!kit.on()) {
            return Batch.NONE;
        }
        List<String> parents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parents.add(meta.apply(i).traceparent());
        }
        Span span = kit.linked("inference", parents);
        span.setAttribute(BATCH_SIZE, n);
        return new Batch(kit, span, parents, meta, TraceKit.nowMicros());
    }

    /** The results of a batch were stored, from {@code startMicros} until now; {@code first}: this answer won. */
    public static void resultWritten(JobMeta meta, long startMicros, boolean first, String error) {
        TraceKit kit = TraceKit.current();
        if (!kit.on() || meta.traceparent() == null) {
            return;
        }
        Attributes a = error == null
                ? Attributes.of(REQUEST_ID, meta.requestId(), AttributeKey.booleanKey("tagger.first_answer"), first)
                : Attributes.of(REQUEST_ID, meta.requestId(), AttributeKey.booleanKey("tagger.first_answer"), first,
                        AttributeKey.stringKey("tagger.error_code"), error);
        kit.record("result write", meta.traceparent(), meta.tracestate(), startMicros, TraceKit.nowMicros(), a);
    }

    /** Now, in the unit {@link #resultWritten} wants (0 with tracing off). */
    public static long now() {
        return TraceKit.current().on() ? TraceKit.nowMicros() : 0;
    }

    /** The inference of one batch. */
    public static final class Batch {
        static final Batch NONE = new Batch(null, Span.getInvalid(), List.of(), null, 0);

        private final TraceKit kit;
        private final Span span;
        private final List<String> parents;
        private final IntFunction<JobMeta> meta;
        private final long startMicros;

        private Batch(TraceKit kit, Span span, List<String> parents, IntFunction<JobMeta> meta, long startMicros) {
            this.kit = kit;
            this.span = span;
            this.parents = parents;
            this.meta = meta;
            this.startMicros = startMicros;
        }

        /** The model failed on the batch. */
        public void failed(Exception e) {
            if (kit == null) {
                return;
            }
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            span.end();
        }

        /** The batch ran; job i waited {@code waits.get(i)} ms for its batch before inference began. */
        public void ran(List<Double> waits) {
            if (kit == null) {
                return;
            }
            span.end();
            for (int i = 0; i < parents.size(); i++) {
                long wait = (long) (waits.get(i) * 1000);
                kit.record("batch wait", parents.get(i), meta.apply(i).tracestate(), startMicros - wait, startMicros,
                        Attributes.of(REQUEST_ID, meta.apply(i).requestId(), BATCH_SIZE, (long) parents.size()));
            }
        }

        /** The span, for tests, log lines and exemplars. */
        public Span span() {
            return span;
        }
    }
}
