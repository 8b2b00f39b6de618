package tagger.api.cluster;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.api.cluster.ClusterSnapshot.ApiServerView;
import tagger.api.cluster.ClusterSnapshot.CacheView;
import tagger.api.cluster.ClusterSnapshot.Latency;
import tagger.api.cluster.ClusterSnapshot.MigrationView;
import tagger.api.cluster.ClusterSnapshot.QueueView;
import tagger.api.cluster.ClusterSnapshot.WorkerView;
import tagger.common.ApiPresence;
import tagger.common.Json;
import tagger.common.TrafficClass;
import tagger.common.WorkerPresence;
import tagger.transport.QueueStats;

/**
 * Builds {@link ClusterSnapshot}s from the presence board, the queue depths and the running
 * migrations. Keeps the queue depths it saw over the last minute to tell how fast each backlog grows
 * (arrivals = throughput + growth), and reuses a snapshot for up to a second so that many dashboards
 * cost the broker and Redis one read per second.
 */
final class ClusterView {
    static final long REUSE_MS = 1_000;
    /** Depth samples this old or older give the growth rate; younger ones are too noisy. */
    static final long MIN_GROWTH_SPAN_MS = 5_000;
    static final long HISTORY_MS = 60_000;
    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);

    private final Cluster sources;
    private final ClusterConfig config;
    private final Map<TrafficClass, Integer> maxLengths;
    private final Clock clock;
    private final Deque<DepthSample> depthHistory = new ArrayDeque<>();
    private final Supplier<String> edge;
    private ClusterSnapshot last;

    private record DepthSample(long at, long realtime, long bulk) {
    }

    ClusterView(Cluster sources, ClusterConfig config, Map<TrafficClass, Integer> maxLengths, Clock clock) {
        this(sources, config, maxLengths, clock, () -> "off");
    }

    /** @param edge describes this api-server's edge preprocessing */
    ClusterView(Cluster sources, ClusterConfig config, Map<TrafficClass, Integer> maxLengths, Clock clock,
            Supplier<String> edge) {
        this.edge = edge;
        this.sources = sources;
        this.config = config;
        this.maxLengths = maxLengths;
        this.clock = clock;
    }

    synchronized ClusterSnapshot snapshot() {
        long now = clock.millis();
        if (last != null && now - last.at() < REUSE_MS && now >= last.at()) {
            return last;
        }
        List<WorkerPresence> workers = new ArrayList<>();
        List<ApiPresence> apis = new ArrayList<>();
        String presenceError = null;
        try {
            sources.board().members(WorkerPresence.KIND).forEach(j -> parse(j, WorkerPresence.class, workers));
            sources.board().members(ApiPresence.KIND).forEach(j -> parse(j, ApiPresence.class, apis));
        } catch (RuntimeException e) {
            presenceError = e.getMessage();
        }
        workers.sort(Comparator.comparing(WorkerPresence::id));
        apis.sort(Comparator.comparing(ApiPresence::id));

        Map<String, QueueView> queues = new LinkedHashMap<>();
        String queuesError = null;
        try {
            for (Map.Entry<String, QueueStats.Depth> e : sources.queues().depths().entrySet()) {
                Integer max = null;
                for (TrafficClass c : TrafficClass.values()) {
                    max = c.key().equals(e.getKey()) ? maxLengths.get(c) : max;
                }
                queues.put(e.getKey(), new QueueView(e.getValue().messages(), e.getValue().consumers(), max));
            }
        } catch (RuntimeException e) {
            queuesError = e.getMessage();
        }

        Map<String, Double> throughput = throughput(workers);
        long backlogRt = messages(queues, TrafficClass.REALTIME);
        long backlogBulk = messages(queues, TrafficClass.BULK);
        double[] growth = growth(now, backlogRt, backlogBulk, queuesError == null);
        Running migrations = running();
        List<MigrationProgress.Migration> running = migrations.list();
        Recommendation.Inputs inputs = new Recommendation.Inputs(
                workers.stream().map(w -> new Recommendation.Rate(w.imagesPerSecond(), w.utilisation())).toList(),
                backlogRt, backlogBulk, Math.max(0, throughput.get("realtime") + growth[0]),
                Math.max(0, throughput.get("bulk") + growth[1]), running == null ? null : running.stream()
                        // a cancelled batch's pending items are dropped unread: queued work, not a target to plan for
                        .filter(m -> !m.status().equals("cancelled"))
                        .map(m -> new Recommendation.Migration(m.id(), m.pending(), m.deadlineAt())).toList(), now);

        last = new ClusterSnapshot(now, workers.stream().mapToDouble(WorkerPresence::windowSeconds).max().orElse(0),
                workers.size(), workers.stream().map(w -> view(w, now)).toList(),
                apis.stream().map(a -> new ApiServerView(a.id(), a.inFlight(), a.waiting(), a.startedAt(),
                        Math.max(0, now - a.heartbeatAt()))).toList(),
                queues, queuesError, presenceError, throughput, latency(workers), errors(workers, apis),
                Recommendation.advise(inputs, config), running == null ? List.of() : running.stream()
                        .map(ClusterView::view).toList(), cache(apis), migrations.error(), edge.get());
        return last;
    }

    private static CacheView cache(List<ApiPresence> apis) {
        long lookups = 0;
        long hits = 0;
        for (ApiPresence a : apis) {
            if (a.cache() != null) {
                lookups += a.cache().values().stream().mapToLong(Long::longValue).sum();
                hits += a.cache().getOrDefault("hit", 0L);
            }
        }
        return new CacheView(lookups, hits, lookups == 0 ? null : Math.round(1000.0 * hits / lookups) / 1000.0);
    }

    private static WorkerView view(WorkerPresence w, long now) {
        Double capacity = w.utilisation() >= Recommendation.MIN_UTILISATION_TO_ESTIMATE
                ? Math.round(w.imagesPerSecond() / w.utilisation() * 10) / 10.0 : null;
        return new WorkerView(w.id(), w.model(), w.device(), w.imagesPerSecond(), capacity, w.utilisation(),
                w.dutyCycle(), w.batchSizeP50(), w.maxBatch(), w.inFlight(), w.startedAt(),
                Math.max(0, now - w.heartbeatAt()), w.jpegDecoder(), w.pixels());
    }

    /** Results stored per second, from each worker's own window. */
    private static Map<String, Double> throughput(List<WorkerPresence> workers) {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("total", 0.0);
        for (TrafficClass c : TrafficClass.values()) {
            double sum = 0;
            for (WorkerPresence w : workers) {
                WorkerPresence.ClassActivity a = w.classes() == null ? null : w.classes().get(c.key());
                if (a != null && w.windowSeconds() > 0) {
                    sum += a.answered() / w.windowSeconds();
                }
            }
            t.put(c.key(), round(sum));
            t.merge("total", sum, Double::sum);
        }
        t.put("total", round(t.get("total")));
        return t;
    }

    /** Percentiles of the merged histograms: exact across workers, not an average of averages. */
    private static Map<String, Latency> latency(List<WorkerPresence> workers) {
        Map<String, Latency> out = new LinkedHashMap<>();
        for (TrafficClass c : TrafficClass.values()) {
            Histogram merged = new Histogram(3_600_000L, 2);
            for (WorkerPresence w : workers) {
                WorkerPresence.ClassActivity a = w.classes() == null ? null : w.classes().get(c.key());
                if (a != null && a.latency() != null) {
                    try {
                        merged.add(Histogram.decodeFromCompressedByteBuffer(
                                ByteBuffer.wrap(Base64.getDecoder().decode(a.latency())), 0));
                    } catch (Exception e) {
                        log.debug("ignoring an unreadable latency histogram from worker {}: {}", w.id(), e.toString());
                    }
                }
            }
            long n = merged.getTotalCount();
            out.put(c.key(), new Latency(n, n == 0 ? 0 : merged.getValueAtPercentile(50),
                    n == 0 ? 0 : merged.getValueAtPercentile(99)));
        }
        return out;
    }

    private static Map<String, Map<String, Long>> errors(List<WorkerPresence> workers, List<ApiPresence> apis) {
        Map<String, Long> realtime = new TreeMap<>();
        for (ApiPresence a : apis) {
            if (a.outcomes() != null) {
                a.outcomes().forEach((code, n) -> {
                    if (!"ok".equals(code) && n > 0) {
                        realtime.merge(code, n, Long::sum);
                    }
                });
            }
        }
        Map<String, Long> bulk = new TreeMap<>();
        for (WorkerPresence w : workers) {
            WorkerPresence.ClassActivity a = w.classes() == null ? null : w.classes().get(TrafficClass.BULK.key());
            if (a != null && a.errors() != null) {
                a.errors().forEach((code, n) -> bulk.merge(code, n, Long::sum));
            }
        }
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        out.put(TrafficClass.REALTIME.key(), realtime);
        out.put(TrafficClass.BULK.key(), bulk);
        return out;
    }

    /**
     * The running migrations; {@code list} is null when they cannot be read (the recommendation then
     * falls back on the bulk queue) and {@code error} says why.
     */
    private record Running(List<MigrationProgress.Migration> list, String error) {
    }

    private Running running() {
        try {
            return new Running(sources.migrations().running(), null);
        } catch (RuntimeException e) {
            log.debug("running migrations unreadable: {}", e.toString());
            return new Running(null, e.getMessage());
        }
    }

    private static MigrationView view(MigrationProgress.Migration m) {
        return new MigrationView(m.id(), m.status(), m.total(), m.tagged(), m.failed(), m.cancelled(), m.pending(),
                m.imagesPerSecond(), m.etaSeconds(), m.deadlineAt() > 0 ? Instant.ofEpochMilli(m.deadlineAt()).toString()
                        : null);
    }

    /** Growth of each backlog in img/s since the oldest sample at least {@link #MIN_GROWTH_SPAN_MS} old. */
    private double[] growth(long now, long realtime, long bulk, boolean measured) {
        if (!measured) {
            return new double[] {0, 0};
        }
        while (!depthHistory.isEmpty() && now - depthHistory.peekFirst().at() > HISTORY_MS) {
            depthHistory.removeFirst();
        }
        double[] g = {0, 0};
        DepthSample oldest = depthHistory.peekFirst();
        if (oldest != null && now - oldest.at() >= MIN_GROWTH_SPAN_MS) {
            double seconds = (now - oldest.at()) / 1000.0;
            g[0] = (realtime - oldest.realtime()) / seconds;
            g[1] = (bulk - oldest.bulk()) / seconds;
        }
        depthHistory.addLast(new DepthSample(now, realtime, bulk));
        return g;
    }

    private static long messages(Map<String, QueueView> queues, TrafficClass c) {
        QueueView q = queues.get(c.key());
        return q == null ? 0 : q.messages();
    }

    private static <T> void parse(String json, Class<T> type, List<T> into) {
        try {
            into.add(Json.read(json, type));
        } catch (RuntimeException e) {
            log.debug("ignoring an unreadable {} announcement: {}", type.getSimpleName(), e.toString());
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
