package tagger.tracing;

import io.micrometer.core.instrument.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Exemplars: with tracing on, histogram buckets carry the trace id of a request they counted, so a
 * latency spike on a chart leads to one of its traces. Prometheus sees them when it scrapes the
 * OpenMetrics format (the {@code /metrics} endpoints answer it when asked) and stores them with
 * {@code --enable-feature=exemplar-storage}.
 */
public final class Exemplars {
    /** The OpenMetrics content type a scraper asks for to receive exemplars. */
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    /** The classic Prometheus text format (no exemplars). */
    public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final OpenMetricsTextFormatWriter OPENMETRICS_WRITER = OpenMetricsTextFormatWriter.builder()
            .setExemplarsOnAllMetricTypesEnabled(false).build();

    private Exemplars() {
    }

    /** A Prometheus registry that samples exemplars from the current span when tracing is on. */
    public static PrometheusMeterRegistry registry(TraceKit kit) {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM,
                kit.on() ? new CurrentSpan() : null);
    }

    /**
     * The registry's metrics in the format {@code contentType} ({@link #contentType}). OpenMetrics is
     * written with exemplars on histogram buckets only: the client's default also puts one on
     * {@code _count}, which Prometheus before 2.4x refuses ("does not support exemplars") and then
     * drops the whole scrape.
     */
    public static String scrape(PrometheusMeterRegistry registry, String contentType) {
        if (!OPENMETRICS.equals(contentType)) {
            return registry.scrape();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            OPENMETRICS_WRITER.write(out, registry.getPrometheusRegistry().scrape(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code record} with the context {@code traceparent} names current, so that a histogram it
     * records into carries that trace's id as an exemplar. With tracing off, or no context, it just runs.
     */
    public static <T> T within(String traceparent, Supplier<T> record) {
        if (!TraceKit.current().on() || traceparent == null) {
            return record.get();
        }
        try (Scope ignored = io.opentelemetry.context.Context.root()
                .with(Span.fromContext(TraceKit.remote(traceparent, null))).makeCurrent()) {
            return record.get();
        }
    }

    /** {@link #within(String, Supplier)} for a recording that returns nothing. */
    public static void within(String traceparent, Runnable record) {
        if (!TraceKit.current().on() || traceparent == null) {
            record.run();
            return;
        }
        within(traceparent, () -> {
            record.run();
            return null;
        });
    }

    /** Runs {@code record} with {@code span} current (see {@link #within(String, Supplier)}). */
    public static void within(Span span, Runnable record) {
        if (!span.getSpanContext().isValid()) {
            record.run();
            return;
        }
        try (Scope ignored = span.makeCurrent()) {
            record.run();
        }
    }

    /** The content type to answer a scrape whose {@code Accept} header is {@code accept}. */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
    }

    /** The span current on the recording thread, as the Prometheus client asks for it. */
    private static final class CurrentSpan implements SpanContext {
        @Override
        public String getCurrentTraceId() {
            io.opentelemetry.api.trace.SpanContext c = Span.current().getSpanContext();
            return c.isValid() ? c.getTraceId() : null;
        }

        @Override
        public String getCurrentSpanId() {
            io.opentelemetry.api.trace.SpanContext c = Span.current().getSpanContext();
            return c.isValid() ? c.getSpanId() : null;
        }

        @Override
        public boolean isCurrentSpanSampled() {
            return Span.current().getSpanContext().isSampled();
        }

        @Override
        public void markCurrentSpanAsExemplar() {
            Span.current().setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
        }
    }
}
