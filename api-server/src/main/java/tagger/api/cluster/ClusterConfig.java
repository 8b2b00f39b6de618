package tagger.api.cluster;

import java.time.Duration;
import tagger.common.Settings;

/**
 * What the operator view needs to be told: the targets the recommended worker count is computed
 * against (see {@link Recommendation} and docs/deploy.md).
 *
 * @param drainTarget       how fast the current backlog (all classes) should be worked off
 * @param realtimeQueueSlo  how long a real-time image may wait in the queue; the real-time backlog
 *                          must drain within it
 * @param targetUtilisation share of measured worker capacity to plan for; the rest is headroom,
 *                          since waiting time grows without bound as utilisation nears 1
 * @param minWorkers        never recommend fewer (real-time callers need someone listening)
 */
public record ClusterConfig(Duration drainTarget, Duration realtimeQueueSlo, double targetUtilisation, int minWorkers) {

    public static ClusterConfig defaults() {
        return new ClusterConfig(Duration.ofSeconds(60), Duration.ofSeconds(1), 0.8, 1);
    }

    /** Reads {@code TAGGER_DRAIN_TARGET_MS}, {@code TAGGER_REALTIME_QUEUE_SLO_MS}, {@code TAGGER_TARGET_UTILISATION}, {@code TAGGER_MIN_WORKERS}. */
    public static ClusterConfig read(Settings s) {
        ClusterConfig d = defaults();
        return new ClusterConfig(
                s.millis("TAGGER_DRAIN_TARGET_MS", d.drainTarget.toMillis(), 1_000, 7L * 24 * 3_600_000),
                s.millis("TAGGER_REALTIME_QUEUE_SLO_MS", d.realtimeQueueSlo.toMillis(), 10, 600_000),
                s.decimal("TAGGER_TARGET_UTILISATION", d.targetUtilisation, 0.05, 1.0),
                s.integer("TAGGER_MIN_WORKERS", d.minWorkers, 0, 100_000));
    }
}
