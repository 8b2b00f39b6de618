package tagger.api.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import tagger.common.TraceState;
import tagger.tracing.TraceKit;

/**
 * The api-server's spans for one image, children of the request's span: {@code download} (each origin
 * answer, redirect and retry wait an event on it), {@code publish} (ends at the broker's confirm; the
 * worker's spans are its children) and {@code result wait} (ends when the result arrived, by
 * notification or read-back, which an event says).
 */
public final class FlowSpans {
    private FlowSpans() {
    }

    /**
     * Runs {@code fetch} with a {@code download} span current (the downloader reads it for its events)
     * and ends the span when the download ends.
     */
    public static <T> CompletableFuture<T> download(String traceparent, String url, Supplier<CompletableFuture<T>> fetch) {
        return download(traceparent, url, 1, fetch);
    }

    /** As {@link #download(String, String, Supplier)}, for the {@code attempt}-th try (bulk downloads retry). */
    public static <T> CompletableFuture<T> download(String traceparent, String url, int attempt,
            Supplier<CompletableFuture<T>> fetch) {
        TraceKit kit = TraceKit.current();
        if (!kit.on() || traceparent == null) {
            return fetch.get();
        }
        Span span = kit.start("download", SpanKind.CLIENT, traceparent, null);
        span.setAttribute("server.address", host(url));
        span.setAttribute("tagger.attempt", attempt);
        CompletableFuture<T> f;
        try (Scope ignored = span.makeCurrent()) {
            f = fetch.get();
        }
        return f.whenComplete((v, e) -> end(span, e));
    }

    /** Starts the span of one publish; {@link #confirmed} ends it. */
    public static Span publish(String traceparent, String tracestate) {
        return TraceKit.current().start("publish", SpanKind.PRODUCER, traceparent, tracestate);
    }

    /** The context the job carries to the worker: the publish span's, or with tracing off the request's as given. */
    public static String jobTraceparent(Span publish, String requestTraceparent) {
        return TraceKit.current().on() ? TraceKit.traceparent(publish) : requestTraceparent;
    }

    /** The trace state the job carries: the publish span's, or with tracing off the request's as given (valid or null). */
    public static String jobTracestate(Span publish, String requestTracestate) {
        return TraceState.orNull(TraceKit.current().on() ? TraceKit.tracestate(publish) : requestTracestate);
    }

    /** Ends a publish span at the broker's confirm (or refusal). */
    public static void confirmed(Span publish, Throwable failure) {
        if (failure == null) {
            publish.addEvent("confirmed");
        }
        end(publish, failure);
    }

    /** Starts the span of waiting for the worker's result. */
    public static Span resultWait(String traceparent) {
        return TraceKit.current().child("result wait", traceparent);
    }

    /** Ends {@code span}, marking it failed when {@code failure} is not null. */
    public static void end(Span span, Throwable failure) {
        if (!span.isRecording()) {
            return;
        }
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
            span.setAttribute("error.type", cause.getClass().getSimpleName());
        }
        span.end();
    }

    /** An event on the span current on this thread (the download's), if one records. */
    public static void event(Span span, String name, Attributes attributes) {
        if (span.isRecording()) {
            span.addEvent(name, attributes);
        }
    }

    /** Attributes of an origin's answer. */
    public static Attributes originAnswer(int status, String retryAfter, String url) {
        return retryAfter == null
                ? Attributes.of(AttributeKey.longKey("http.response.status_code"), (long) status,
                        AttributeKey.stringKey("server.address"), host(url))
                : Attributes.of(AttributeKey.longKey("http.response.status_code"), (long) status,
                        AttributeKey.stringKey("server.address"), host(url),
                        AttributeKey.stringKey("retry_after"), retryAfter);
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
