package tagger.api.bulk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The bulk path's meters. Tags are small fixed sets (an outcome, an error code, a queue), never a
 * host or a batch id: per-host concurrency is reported as the busiest host's count and the number
 * of hosts, which is what an operator checks against the per-host cap.
 *
 * <ul>
 *   <li>{@code tagger.bulk.items{outcome}}: what the download stage did with an item —
 *       {@code published} (image queued for the workers), {@code failed} (its download failed for
 *       good: error outcome recorded), {@code cancelled} (its batch was cancelled: no download),
 *       {@code skipped} (it already had an outcome, e.g. redelivered after a crash), {@code orphaned}
 *       (its batch no longer exists), {@code delivery_limit};</li>
 *   <li>{@code tagger.bulk.downloads{outcome}}: every download attempt, {@code ok} or an error code;</li>
 *   <li>{@code tagger.bulk.retries{code}}: attempts scheduled again after a transient failure;</li>
 *   <li>{@code tagger.bulk.results.written}: outcomes this stage recorded (first writes only);</li>
 *   <li>{@code tagger.bulk.intake.items{outcome=accepted|rejected}}, {@code tagger.bulk.intake.batches};</li>
 *   <li>{@code tagger.bulk.callbacks{outcome=delivered|retry|failed}};</li>
 *   <li>gauges: {@code tagger.bulk.downloads.active}, {@code tagger.bulk.items.held} (unacknowledged
 *       items in this api-server), {@code tagger.bulk.hosts.active}, {@code tagger.bulk.hosts.busiest},
 *       {@code tagger.bulk.queue.depth{queue=urls|images}}, {@code tagger.bulk.gate.open}.</li>
 * </ul>
 */
final class BulkMetrics {
    private final MeterRegistry registry;

    BulkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void item(String outcome) {
        Counter.builder("tagger.bulk.items").tag("outcome", outcome)
                .description("bulk items handled by the download stage, by what happened to them")
                .register(registry).increment();
    }

    void download(String outcome) {
        Counter.builder("tagger.bulk.downloads").tag("outcome", outcome)
                .description("bulk download attempts by outcome").register(registry).increment();
    }

    void retry(String code) {
        Counter.builder("tagger.bulk.retries").tag("code", code)
                .description("bulk downloads scheduled again after a transient failure").register(registry).increment();
    }

    void written(int n) {
        Counter.builder("tagger.bulk.results.written")
                .description("batch item outcomes recorded by the download stage").register(registry).increment(n);
    }

    void intake(int accepted, int rejected) {
        Counter.builder("tagger.bulk.intake.batches").description("batches accepted").register(registry).increment();
        Counter.builder("tagger.bulk.intake.items").tag("outcome", "accepted").register(registry).increment(accepted);
        Counter.builder("tagger.bulk.intake.items").tag("outcome", "rejected").register(registry).increment(rejected);
    }

    void callback(String outcome) {
        Counter.builder("tagger.bulk.callbacks").tag("outcome", outcome)
                .description("batch callback deliveries by outcome").register(registry).increment();
    }

    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    void queueDepth(String queue, Supplier<Number> value) {
        Gauge.builder("tagger.bulk.queue.depth", value).tag("queue", queue)
                .description("messages ready in the bulk queues at the last probe").register(registry);
    }
}
