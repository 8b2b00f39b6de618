package tagger.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {
    private static final String CALLER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void offUnlessAnExporterIsNamed() {
        assertSame(TraceKit.OFF, Tracing.open("t", Map.of()));
        assertSame(TraceKit.OFF, Tracing.open("t", Map.of("OTEL_TRACES_EXPORTER", "none")));
        assertSame(TraceKit.OFF, Tracing.open("t", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")));
        assertSame(TraceKit.OFF, Tracing.open("t", Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true")));
        try (TraceKit on = Tracing.open("t", Map.of("OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"))) {
            assertTrue(on.on());
            assertEquals(TraceKit.DEFAULT_BULK_ITEM_RATIO, on.bulkItemRatio());
        }
    }

    @Test
    void offCarriesTheCallersContextOnUnchangedAndRecordsNothing() {
        TraceKit off = TraceKit.OFF;
        Span s = off.start("x", SpanKind.SERVER, CALLER, null);
        assertFalse(s.isRecording());
        assertEquals(CALLER, TraceKit.traceparent(s));
        assertSame(Span.getInvalid(), off.start("x", SpanKind.SERVER, null, null));
        assertSame(Span.getInvalid(), off.linked("inference", List.of(CALLER)));
        assertNull(TraceKit.traceparent(Span.getInvalid()));
    }

    @Test
    void aMalformedTraceparentStartsANewTrace() {
        assertFalse(Span.fromContext(TraceKit.remote("00-zz-yy-01", null)).getSpanContext().isValid());
        assertTrue(Span.fromContext(TraceKit.remote(CALLER, "k=v")).getSpanContext().isRemote());
    }

    @Test
    void bulkItemShareIsChecked() {
        assertEquals(1.0, Tracing.bulkItemRatio("1"));
        assertEquals(0.0, Tracing.bulkItemRatio("0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tracing.bulkItemRatio("2"));
        assertEquals("TAGGER_TRACE_BULK_ITEMS must be a share from 0 to 1 (e.g. 0.01), got '2'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tracing.bulkItemRatio("lots"));
    }
}
