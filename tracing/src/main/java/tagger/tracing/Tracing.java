package tagger.tracing;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
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

    /** Configured by the process environment (and {@code otel.*} system properties, which win). */
    public static TraceKit open(String serviceName) {
        return open(serviceName, System.getenv());
    }

    /**
     * The tracing of one service, configured by the {@code OTEL_*} entries of {@code env} (the process
     * environment in production; a benchmark or test passes its own). The SDK, when on, exports over
     * OTLP/HTTP protobuf unless {@code OTEL_EXPORTER_OTLP_PROTOCOL} says otherwise, and never exports
     * metrics or logs (Prometheus has the metrics).
     *
     * @throws IllegalArgumentException when TAGGER_TRACE_BULK_ITEMS is not a share from 0 to 1
     */
    public static TraceKit open(String serviceName, Map<String, String> env) {
        return open(serviceName, env, builder -> { });
    }

    /** As {@link #open(String, Map)}, with {@code extra} applied to the SDK builder last (tests add an exporter). */
    static TraceKit open(String serviceName, Map<String, String> env,
            Consumer<AutoConfiguredOpenTelemetrySdkBuilder> extra) {
        double bulkItems = bulkItemRatio(env.get("TAGGER_TRACE_BULK_ITEMS"));
        if (!enabled(env::get)) {
            return TraceKit.OFF;
        }
        Map<String, String> given = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("OTEL_")) {
                given.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        AutoConfiguredOpenTelemetrySdkBuilder builder = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", serviceName,
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                // env's OTEL_* entries win over the defaults above (the SDK reads the real environment too)
                .addPropertiesCustomizer(config -> given)
                // a batch's inference span (a root linked to its requests) is kept when one of them is
                .addSamplerCustomizer((configured, config) -> new LinkedSampler(configured));
        extra.accept(builder);
        AutoConfiguredOpenTelemetrySdk sdk = builder.build();
        log.info("tracing on: service {}, exporter {}, sampler {}, bulk items traced {}", serviceName,
                env.get("OTEL_TRACES_EXPORTER"), env.getOrDefault("OTEL_TRACES_SAMPLER", "parentbased_always_on")
                        + (env.containsKey("OTEL_TRACES_SAMPLER_ARG") ? " " + env.get("OTEL_TRACES_SAMPLER_ARG") : ""),
                bulkItems);
        return new TraceKit(sdk.getOpenTelemetrySdk(), serviceName, true, bulkItems);
    }

    /** On when OTEL_TRACES_EXPORTER names an exporter (not "none") and OTEL_SDK_DISABLED is not true. */
    static boolean enabled(Function<String, String> settings) {
        String exporter = settings.apply("OTEL_TRACES_EXPORTER");
        if (exporter == null || exporter.isBlank() || exporter.strip().equalsIgnoreCase("none")) {
            return false;
        }
        return !"true".equalsIgnoreCase(settings.apply("OTEL_SDK_DISABLED"));
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
}
