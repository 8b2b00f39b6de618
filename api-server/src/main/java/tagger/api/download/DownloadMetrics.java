package tagger.api.download;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tagger.common.ErrorCode;

/**
 * The downloader's meters: how long downloads take by outcome, how big the bodies are, and how many
 * are in flight.
 *
 * <p>The {@code outcome} tag is {@code ok}, an {@link ErrorCode#code()}, or {@code cancelled} when the
 * caller gave up: a fixed, small set, never a host or URL (that would make one series per origin).
 */
final class DownloadMetrics {
    static final String DURATION = "tagger.download.duration";
    static final String BYTES = "tagger.download.bytes";
    static final String ACTIVE = "tagger.download.active";

    private final MeterRegistry registry;
    private final String traffic;
    private final DistributionSummary bytes;

    /** @param traffic the {@code traffic} tag: which class's downloader this is (they have separate pools) */
    DownloadMetrics(MeterRegistry registry, Supplier<Number> active, String traffic) {
        this.registry = registry;
        this.traffic = traffic;
        this.bytes = DistributionSummary.builder(BYTES)
                .description("Size of downloaded image bodies")
                .baseUnit("bytes")
                .tag("traffic", traffic)
                .register(registry);
        Gauge.builder(ACTIVE, active)
                .description("Downloads started and not yet finished, including those queued for a connection slot")
                .tag("traffic", traffic)
                .register(registry);
    }

    void succeeded(long nanos, int bodyBytes) {
        timer("ok").record(nanos, TimeUnit.NANOSECONDS);
        bytes.record(bodyBytes);
    }

    /** Records a download that ended without a body: {@code outcome} is an error code or "cancelled". */
    void failed(long nanos, String outcome) {
        timer(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String outcome) {
        return Timer.builder(DURATION)
                .description("Time from starting a download to its last byte or its failure")
                .tag("outcome", outcome)
                .tag("traffic", traffic)
                .register(registry);
    }
}
