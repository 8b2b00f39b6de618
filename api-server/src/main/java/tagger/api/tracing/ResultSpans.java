package tagger.api.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;

/** How a result reached the api-server, as an event on the request's {@code result wait} span. */
public final class ResultSpans {
    private static final AttributeKey<String> VIA = AttributeKey.stringKey("via");
    private static final AttributeKey<String> STORED = AttributeKey.stringKey("tagger.result.traceparent");

    private ResultSpans() {
    }

    /**
     * {@code via}: "notification" (pub/sub) or "read_back" (read from the store); {@code traceparent}:
     * the context stored with the result (the job's), or null.
     */
    public static void received(Span span, String via, String traceparent) {
        if (span.isRecording()) {
            span.addEvent("result received", traceparent == null ? Attributes.of(VIA, via)
                    : Attributes.of(VIA, via, STORED, traceparent));
            span.setAttribute(VIA, via);
        }
    }
}
