package tagger.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service's tracing, and the few operations the stages need: continue a W3C context, start a
 * child, record a span after the fact, start a span linked to many others. With tracing off every
 * call goes to OpenTelemetry's no-op API: a child of a caller's context is then that context itself,
 * so a caller's {@code traceparent} still travels on unchanged, and nothing is recorded or exported.
 *
 * <p>The process's instance is {@link #current()}, installed once by each service's main; the
 * default is off.
 */
public final class TraceKit implements AutoCloseable {
    /** Tracing off: the no-op API. */
    public static final TraceKit OFF = new TraceKit(OpenTelemetry.noop(), "tagger", false, 0);
    /** Default share of bulk items that get a trace of their own. */
    public static final double DEFAULT_BULK_ITEM_RATIO = 0.001;

    private static volatile TraceKit current = OFF;

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final boolean on;
    private final double bulkItemRatio;

    TraceKit(OpenTelemetry otel, String serviceName, boolean on, double bulkItemRatio) {
        this.otel = otel;
        this.tracer = otel.getTracer("tagger." + serviceName);
        this.on = on;
        this.bulkItemRatio = bulkItemRatio;
    }

    /** The process's tracing ({@link #OFF} until a main installs another). */
    public static TraceKit current() {
        return current;
    }

    /** Makes {@code kit} the process's tracing. */
    public static void install(TraceKit kit) {
        current = kit;
    }

    /** Whether spans may be recorded and exported (an SDK is running). */
    public boolean on() {
        return on;
    }

    /** The share of bulk items, 0 to 1, that get a trace of their own (TAGGER_TRACE_BULK_ITEMS). */
    public double bulkItemRatio() {
        return bulkItemRatio;
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The context a W3C {@code traceparent} (and optional {@code tracestate}) names; root when null or malformed. */
    public static Context remote(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>(2);
        carrier.put("traceparent", traceparent);
        if (tracestate != null) {
            carrier.put("tracestate", tracestate);
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, MAP_GETTER);
    }

    /** The W3C {@code traceparent} of {@code span}, or null when it has no valid context. */
    public static String traceparent(Span span) {
        SpanContext c = span.getSpanContext();
        if (!c.isValid()) {
            return null;
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    /** The W3C {@code tracestate} of {@code span}, or null when empty. */
    public static String tracestate(Span span) {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, Map::put);
        return carrier.get("tracestate");
    }

    /** Starts a span of {@code kind} whose parent is the remote context {@code traceparent} (root when null). */
    public Span start(String name, SpanKind kind, String traceparent, String tracestate) {
        if (!on && traceparent == null) {
            return Span.getInvalid(); // nothing to carry on: skip even the no-op builder
        }
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(remote(traceparent, tracestate)).startSpan();
    }

    /** Starts an internal span, child of {@code parent}. */
    public Span child(String name, Span parent) {
        if (!on) {
            return parent;
        }
        return tracer.spanBuilder(name).setParent(Context.root().with(parent)).startSpan();
    }

    /** Starts an internal span, child of the remote context {@code traceparent}. */
    public Span child(String name, String traceparent) {
        return start(name, SpanKind.INTERNAL, traceparent, null);
    }

    /**
     * Records a span that already ended: from {@code startEpochMicros} to {@code endEpochMicros}, child
     * of {@code traceparent}. For waits whose start another process or thread saw (queue, batch).
     */
    public void record(String name, String traceparent, long startEpochMicros, long endEpochMicros,
            Attributes attributes) {
        record(name, traceparent, null, startEpochMicros, endEpochMicros, attributes);
    }

    /** As {@link #record(String, String, long, long, Attributes)}, the parent context carrying {@code tracestate}. */
    public void record(String name, String traceparent, String tracestate, long startEpochMicros, long endEpochMicros,
            Attributes attributes) {
        if (!on || traceparent == null) {
            return;
        }
        tracer.spanBuilder(name).setParent(remote(traceparent, tracestate))
                .setStartTimestamp(startEpochMicros, TimeUnit.MICROSECONDS)
                .setAllAttributes(attributes).startSpan()
                .end(Math.max(startEpochMicros, endEpochMicros), TimeUnit.MICROSECONDS);
    }

    /**
     * Starts a root span linked to every context in {@code traceparents}: one piece of work done for
     * many requests (a batch's inference), which is a child of none of them.
     */
    public Span linked(String name, List<String> traceparents) {
        if (!on) {
            return Span.getInvalid();
        }
        SpanBuilder b = tracer.spanBuilder(name).setNoParent();
        for (String tp : traceparents) {
            SpanContext c = tp == null ? SpanContext.getInvalid() : Span.fromContext(remote(tp, null)).getSpanContext();
            if (c.isValid()) {
                b.addLink(c);
            }
        }
        return b.startSpan();
    }

    /** Microseconds since the epoch now, for {@link #record}. */
    public static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** Flushes and stops the SDK's exporter, if one runs. */
    @Override
    public void close() {
        if (otel instanceof OpenTelemetrySdk sdk) {
            sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
            sdk.close();
        }
    }
}
