package tagger.tracing;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the process's {@link OpenTelemetry}: the no-op one (no SDK, no exporter thread) unless the
 * standard {@code OTEL_TRACES_EXPORTER} asks for an exporter, then an SDK configured by the SDK's
 * autoconfigure module from the standard {@code OTEL_*} variables (endpoint, sampler, batch delays).
 *
 * <p>Unlike the SDK's own default, an unset {@code OTEL_TRACES_EXPORTER} means off: a deployment that
 * never heard of tracing must not start sending spans to localhost:4318.
 */
public final class Tracing {
    private static final Logger log = LoggerFactory.getLogger(Tracing.class);

    private Tracing() {
    }

    /** Reads the process environment and system properties; see {@link #open(String, Function)}. */
    public static TraceKit open(String serviceName) {
        return open(serviceName, name -> {
            String property = System.getProperty(name.toLowerCase().replace('_', '.'));
            return property != null ? property : System.getenv(name);
        });
    }

    /**
     * The tracing of one service. {@code settings} answers {@code OTEL_*} names (environment form).
     * The SDK, when on, exports over OTLP/HTTP protobuf unless {@code OTEL_EXPORTER_OTLP_PROTOCOL}
     * says otherwise, and never exports metrics or logs (Prometheus has the metrics).
     */
    public static TraceKit open(String serviceName, Function<String, String> settings) {
        if (!enabled(settings)) {
            return TraceKit.OFF;
        }
        double bulkItems = bulkItemRatio(settings.apply("TAGGER_TRACE_BULK_ITEMS"));
        AutoConfiguredOpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                // defaults only: system properties and OTEL_* variables win over these
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", serviceName,
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .build();
        log.info("tracing on: service {}, exporter {}, sampler {}", serviceName,
                settings.apply("OTEL_TRACES_EXPORTER"),
                settings.apply("OTEL_TRACES_SAMPLER") == null ? "parentbased_always_on" : settings.apply("OTEL_TRACES_SAMPLER"));
        return new TraceKit(sdk.getOpenTelemetrySdk(), serviceName, true, bulkItems);
    }

    /** TAGGER_TRACE_BULK_ITEMS: a share from 0 to 1; unset means {@link TraceKit#DEFAULT_BULK_ITEM_RATIO}. */
    static double bulkItemRatio(String value) {
        if (value == null || value.isBlank()) {
            return TraceKit.DEFAULT_BULK_ITEM_RATIO;
        }
        double ratio;
        try {
            ratio = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            ratio = Double.NaN;
        }
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("TAGGER_TRACE_BULK_ITEMS must be a share from 0 to 1 (e.g. 0.01), got '"
                    + value + "'");
        }
        return ratio;
    }

    /** On when OTEL_TRACES_EXPORTER names an exporter (not "none") and OTEL_SDK_DISABLED is not true. */
    static boolean enabled(Function<String, String> settings) {
        String exporter = settings.apply("OTEL_TRACES_EXPORTER");
        if (exporter == null || exporter.isBlank() || exporter.strip().equalsIgnoreCase("none")) {
            return false;
        }
        return !"true".equalsIgnoreCase(settings.apply("OTEL_SDK_DISABLED"));
    }
}
