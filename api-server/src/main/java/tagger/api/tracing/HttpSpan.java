package tagger.api.tracing;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import tagger.tracing.LogContext;
import tagger.tracing.TraceKit;

/**
 * The server span of one HTTP request: continues the caller's W3C {@code traceparent}/{@code tracestate}
 * and answers with {@code traceresponse} (W3C Trace Context level 2) naming this request's trace and span.
 * With tracing off there is no span and no {@code traceresponse}, and the caller's {@code traceparent}
 * is passed on to the worker unchanged, as before tracing existed.
 */
public final class HttpSpan {
    private static final String ATTRIBUTE = "tagger.tracing.span";
    private final Span span;
    private final String callerTraceparent;
    private final String callerTracestate;
    private final boolean on;

    private HttpSpan(Span span, String callerTraceparent, String callerTracestate, boolean on) {
        this.span = span;
        this.callerTraceparent = callerTraceparent;
        this.callerTracestate = callerTracestate;
        this.on = on;
    }

    /** Starts the span for the request in {@code ctx} and sets the {@code traceresponse} header. */
    public static HttpSpan start(Context ctx, String name) {
        TraceKit kit = TraceKit.current();
        String traceparent = ctx.header("traceparent");
        if (!kit.on()) {
            return new HttpSpan(Span.getInvalid(), traceparent, ctx.header("tracestate"), false);
        }
        Span span = kit.start(name, SpanKind.SERVER, traceparent, ctx.header("tracestate"));
        span.setAttribute("http.request.method", ctx.method().name());
        span.setAttribute("url.path", ctx.path());
        String self = TraceKit.traceparent(span);
        if (self != null) {
            ctx.header("traceresponse", self);
        }
        LogContext.enter(span);
        return new HttpSpan(span, traceparent, null, true);
    }

    /** Runs a synchronous {@code handler} inside a span named {@code name}; see {@link #traceparentOf}. */
    public static void traced(Context ctx, String name, Handler handler) throws Exception {
        HttpSpan span = start(ctx, name);
        ctx.attribute(ATTRIBUTE, span);
        try {
            handler.handle(ctx);
        } finally {
            span.leaveThread();
            span.end(ctx);
        }
    }

    /** The context a request run by {@link #traced} continues (the caller's {@code traceparent} otherwise). */
    public static String traceparentOf(Context ctx) {
        HttpSpan span = ctx.attribute(ATTRIBUTE);
        return span != null ? span.traceparent() : ctx.header("traceparent");
    }

    /** The context the request's own work continues: this span's, or with tracing off the caller's. */
    public String traceparent() {
        return on ? TraceKit.traceparent(span) : callerTraceparent;
    }

    /** The trace state going with {@link #traceparent()}: this span's, or with tracing off the caller's; null when none. */
    public String tracestate() {
        return on ? TraceKit.tracestate(span) : callerTracestate;
    }

    public Span span() {
        return span;
    }

    /** The handling thread is done with this request (its answer may still come later, on another). */
    public void leaveThread() {
        if (on) {
            LogContext.leave();
        }
    }

    /** Ends the span with the response status. */
    public void end(Context ctx) {
        if (!on) {
            return;
        }
        int status = ctx.statusCode();
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
