package tagger.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sampler the autoconfigured SDK gets from {@link Tracing#open}: ratio 0, but linked roots follow their links. */
class LinkedSamplerTest {
    private static final String SAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String SAMPLED_2 = "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01";
    private static final String UNSAMPLED = "00-2af7651916cd43dd8448eb211c80319c-d7ad6b7169203331-00";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();

    private TraceKit ratioZero() {
        return Tracing.open("t", Map.of("OTEL_TRACES_EXPORTER", "otlp",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_BSP_SCHEDULE_DELAY", "600000",
                        "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0"),
                b -> b.addTracerProviderCustomizer((p, c) -> p.addSpanProcessor(SimpleSpanProcessor.create(exported))));
    }

    @Test
    void aRootLinkedToOneSampledRequestIsSampledAtRatioZero() {
        try (TraceKit kit = ratioZero()) {
            Span inference = kit.linked("inference", List.of(UNSAMPLED, SAMPLED, SAMPLED_2));
            assertTrue(inference.getSpanContext().isSampled());
            inference.end();
            // read before close: shutting the SDK down clears the in-memory exporter
            List<SpanData> spans = exported.getFinishedSpanItems();
            assertEquals(1, spans.size(), spans.toString());
            assertEquals("inference", spans.get(0).getName());
            assertEquals(3, spans.get(0).getLinks().size());
        }
    }

    @Test
    void otherwiseTheConfiguredSamplerDecides() {
        try (TraceKit kit = ratioZero()) {
            Span linkedToUnsampled = kit.linked("inference", List.of(UNSAMPLED));
            assertFalse(linkedToUnsampled.isRecording());
            linkedToUnsampled.end();
            Span root = kit.start("root", SpanKind.SERVER, null, null);
            assertFalse(root.isRecording(), "ratio 0 keeps no root");
            root.end();
            Span childOfSampled = kit.start("child", SpanKind.SERVER, SAMPLED, null);
            assertTrue(childOfSampled.getSpanContext().isSampled(), "parent-based: a sampled caller's child is kept");
            childOfSampled.end();
            Span childOfUnsampled = kit.start("child", SpanKind.SERVER, UNSAMPLED, null);
            assertFalse(childOfUnsampled.isRecording());
            childOfUnsampled.end();
            assertEquals(List.of("child"), exported.getFinishedSpanItems().stream().map(SpanData::getName).toList());
        }
    }
}
