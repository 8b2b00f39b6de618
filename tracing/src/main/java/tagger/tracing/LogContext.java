package tagger.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * Puts the trace and span id of the work a thread is doing into the logging MDC as {@code trace_id}
 * and {@code span_id}, so log lines can be found from a trace and a trace from a log line.
 */
public final class LogContext {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private LogContext() {
    }

    /** The calling thread now works for {@code span} (nothing happens for a span without valid ids). */
    public static void enter(Span span) {
        SpanContext c = span.getSpanContext();
        if (c.isValid()) {
            MDC.put(TRACE_ID, c.getTraceId());
            MDC.put(SPAN_ID, c.getSpanId());
        }
    }

    /** The calling thread no longer works for a traced request. */
    public static void leave() {
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
    }
}
