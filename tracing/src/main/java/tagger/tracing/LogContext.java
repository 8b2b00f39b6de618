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

    /**
     * The calling thread works on one job that carries {@code traceparent} until the returned scope
     * closes: its log lines name the job's trace (and the span that sent it). Nothing happens with
     * tracing off or without a valid context; closing restores what the MDC held before.
     */
    public static Scope job(String traceparent) {
        if (traceparent == null || !TraceKit.current().on()) {
            return Scope.NONE;
        }
        SpanContext c = Span.fromContext(TraceKit.remote(traceparent, null)).getSpanContext();
        if (!c.isValid()) {
            return Scope.NONE;
        }
        String traceBefore = MDC.get(TRACE_ID);
        String spanBefore = MDC.get(SPAN_ID);
        MDC.put(TRACE_ID, c.getTraceId());
        MDC.put(SPAN_ID, c.getSpanId());
        return () -> {
            restore(TRACE_ID, traceBefore);
            restore(SPAN_ID, spanBefore);
        };
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** What {@link #job} returns: closing it ends the job's log context. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        Scope NONE = () -> { };

        @Override
        void close();
    }

    /** The calling thread no longer works for a traced request. */
    public static void leave() {
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
    }
}
