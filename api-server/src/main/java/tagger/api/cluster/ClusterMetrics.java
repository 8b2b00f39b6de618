package tagger.api.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.ToDoubleFunction;
import tagger.transport.QueueStats;

/**
 * The cluster view as Prometheus gauges, for alerting rules and the Grafana dashboard (deploy/):
 * queue depths and consumers, workers online and recommended, cluster-wide latency percentiles. Read
 * at scrape time from the same snapshot {@code /v1/cluster} serves (cached up to a second); a source
 * that cannot be read gives NaN, which Prometheus stores as a gap rather than a false zero.
 */
final class ClusterMetrics {
    private static final List<String> QUEUES = List.of("realtime", "bulk", QueueStats.BULK_URLS, QueueStats.DEAD);
    private static final List<String> CLASSES = List.of("realtime", "bulk");

    private ClusterMetrics() {
    }

    static void bind(ClusterView view, MeterRegistry registry) {
        for (String q : QUEUES) {
            gauge(registry, "tagger.cluster.queue.messages", "messages in the queue at the last probe", view,
                    s -> s.queues().containsKey(q) ? s.queues().get(q).messages() : Double.NaN, "queue", q);
            gauge(registry, "tagger.cluster.queue.consumers", "consumers of the queue at the last probe", view,
                    s -> s.queues().containsKey(q) ? s.queues().get(q).consumers() : Double.NaN, "queue", q);
        }
        gauge(registry, "tagger.cluster.workers.online", "workers announcing themselves", view,
                s -> s.presenceError() != null ? Double.NaN : s.workersOnline());
        gauge(registry, "tagger.cluster.workers.recommended", "workers the recommendation asks for", view,
                s -> s.recommendation() == null ? Double.NaN : s.recommendation().workers());
        for (String c : CLASSES) {
            gauge(registry, "tagger.cluster.latency.p50", "cluster-wide median latency of the class in the window, s",
                    view, s -> latency(s, c, false), "class", c);
            gauge(registry, "tagger.cluster.latency.p99", "cluster-wide 99th percentile latency of the class, s",
                    view, s -> latency(s, c, true), "class", c);
        }
    }

    private static double latency(ClusterSnapshot s, String cls, boolean p99) {
        ClusterSnapshot.Latency l = s.latency() == null ? null : s.latency().get(cls);
        if (l == null || l.count() == 0) {
            return Double.NaN;
        }
        return (p99 ? l.p99Ms() : l.p50Ms()) / 1000;
    }

    private static void gauge(MeterRegistry registry, String name, String description, ClusterView view,
            ToDoubleFunction<ClusterSnapshot> value, String... tags) {
        Gauge.builder(name, view, v -> {
            try {
                return value.applyAsDouble(v.snapshot());
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description(description).tags(tags).register(registry);
    }
}
