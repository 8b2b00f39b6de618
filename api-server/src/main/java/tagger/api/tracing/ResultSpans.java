package tagger.api.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;

/** How a result reached the api-server, as an event on the request's {@code result wait} span. */
public final class ResultSpans {
    private static final AttributeKey<String> VIA = AttributeKey.stringKey("via");

    private ResultSpans() {
    }

    /** {@code via}: "notification" (pub/sub) or "read_back" (read from the store). */
    public static void received(Span span, String via) {
        if (span.isRecording()) {
            span.addEvent("result received", Attributes.of(VIA, via));
            span.setAttribute(VIA, via);
        }
    }
}
