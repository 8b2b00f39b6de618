package tagger.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tagger.api.fakes.MutableClock;
import tagger.common.ApiPresence;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.TrafficClass;
import tagger.common.WorkerPresence;
import tagger.common.WorkerPresence.ClassActivity;
import tagger.transport.QueueStats;
import tagger.transport.QueueUnavailableException;
import tagger.transport.memory.InMemoryPresenceBoard;

class ClusterViewTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final InMemoryPresenceBoard board = new InMemoryPresenceBoard(clock);
    private final Map<String, QueueStats.Depth> depths = new HashMap<>(Map.of(
            "realtime", new QueueStats.Depth(0, 2), "bulk", new QueueStats.Depth(100, 2), "dead", new QueueStats.Depth(3, 0)));
    private boolean brokerDown;
    private final QueueStats queues = () -> {
        if (brokerDown) {
            throw new QueueUnavailableException("RabbitMQ at amqp://127.0.0.1:5672 is down");
        }
        return Map.copyOf(depths);
    };
    private boolean storeDown;
    private final MigrationProgress migrations = () -> {
        if (storeDown) {
            throw new IllegalStateException("Redis at redis://127.0.0.1:6379 is down");
        }
        return List.of(new MigrationProgress.Migration("batch-1", "running", 10_000, 1_500, 5, 495, 8_000, 20.0,
                400.0, clock.millis() + 200_000), new MigrationProgress.Migration("batch-2", "cancelled", 100, 10, 0, 50,
                40, 2.0, 20.0, 0));
    };
    private final ClusterView view = new ClusterView(new Cluster(board, queues, migrations), ClusterConfig.defaults(),
            Map.of(TrafficClass.REALTIME, 5_000), clock);

    static String histogram(long value, int count) {
        Histogram h = new Histogram(3_600_000L, 2);
        h.recordValueWithCount(value, count);
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n));
    }

    private void worker(String id, long realtimeAnswered, long realtimeMs, long bulkAnswered, Map<String, Long> bulkErrors) {
        WorkerPresence p = new WorkerPresence(id, new ModelRef("demo", "1"), "cpu", 16, clock.millis() - 60_000,
                clock.millis() - 500, 20, (realtimeAnswered + bulkAnswered) / 20.0, 0.5, 0.2, 8, 3, Map.of(
                        "realtime", new ClassActivity(realtimeAnswered, Map.of(), histogram(realtimeMs, (int) realtimeAnswered)),
                        "bulk", new ClassActivity(bulkAnswered, bulkErrors, histogram(60_000, (int) bulkAnswered))));
        board.announce(WorkerPresence.KIND, id, Json.write(p), Duration.ofSeconds(6));
    }

    @Test
    void aSnapshotSumsTheWorkersAndMergesTheirLatencyExactly() {
        worker("w-b", 100, 1_000, 40, Map.of("undecodable", 2L));
        worker("w-a", 100, 10, 0, Map.of());
        board.announce(ApiPresence.KIND, "api-1", Json.write(new ApiPresence("api-1", 0, clock.millis(), 4, 2, 20,
                Map.of("ok", 180L, "overloaded", 7L))), Duration.ofSeconds(6));

        ClusterSnapshot s = view.snapshot();
        assertEquals(2, s.workersOnline());
        assertEquals(List.of("w-a", "w-b"), s.workers().stream().map(ClusterSnapshot.WorkerView::id).toList());
        assertEquals(500, s.workers().get(0).heartbeatAgeMs());
        assertEquals(Map.of("total", 12.0, "realtime", 10.0, "bulk", 2.0), s.throughput());
        // half the answers took 10 ms, half 1 s: merged p50 = 10, p99 = 1000 (an average of percentiles would say 505)
        assertEquals(200, s.latency().get("realtime").count());
        assertEquals(10, s.latency().get("realtime").p50Ms(), 1);
        assertEquals(1_000, s.latency().get("realtime").p99Ms(), 10);
        assertEquals(Map.of("overloaded", 7L), s.errors().get("realtime"), "real-time errors come from the api-servers");
        assertEquals(Map.of("undecodable", 2L), s.errors().get("bulk"), "bulk errors come from the workers");
        assertEquals(List.of(new ClusterSnapshot.ApiServerView("api-1", 4, 2, 0, 0)), s.apiServers());
        assertEquals(new ClusterSnapshot.QueueView(0, 2, 5_000), s.queues().get("realtime"));
        assertEquals(new ClusterSnapshot.QueueView(100, 2, null), s.queues().get("bulk"));
        assertEquals(new ClusterSnapshot.QueueView(3, 0, null), s.queues().get("dead"));
        assertNull(s.queuesError());
    }

    @Test
    void aMigrationIsShownWithTheFourCountsRateEtaAndDeadlineOfItsBatch() {
        ClusterSnapshot s = view.snapshot();
        assertEquals(List.of(new ClusterSnapshot.MigrationView("batch-1", "running", 10_000, 1_500, 5, 495, 8_000, 20.0,
                400.0, "2027-01-15T08:03:20Z"), new ClusterSnapshot.MigrationView("batch-2", "cancelled", 100, 10, 0, 50,
                40, 2.0, 20.0, null)), s.migrations());
        assertEquals(List.of(new Recommendation.MigrationPlan("batch-1", 8_000, 200, "deadline", 40)),
                s.recommendation().migrations(), "a cancelled batch's leftovers are no target to plan for");
        assertEquals(Recommendation.FORMULA, s.recommendation().formula());
    }

    @Test
    void unreadableMigrationsLeaveTheRecommendationOnTheBulkQueue() {
        storeDown = true;
        ClusterSnapshot s = view.snapshot();
        assertTrue(s.migrations().isEmpty());
        assertEquals(Recommendation.QUEUE_FORMULA, s.recommendation().formula());
        assertTrue(s.recommendation().migrations().isEmpty());
    }

    @Test
    void aBrokerThatIsDownLeavesTheRestOfTheSnapshotStanding() {
        worker("w-a", 10, 10, 0, Map.of());
        brokerDown = true;
        ClusterSnapshot s = view.snapshot();
        assertEquals("RabbitMQ at amqp://127.0.0.1:5672 is down", s.queuesError());
        assertTrue(s.queues().isEmpty());
        assertEquals(1, s.workersOnline());
    }

    @Test
    void snapshotsAreReusedForASecond() {
        ClusterSnapshot first = view.snapshot();
        clock.advance(java.time.Duration.ofMillis(999));
        assertSame(first, view.snapshot());
        clock.advance(java.time.Duration.ofMillis(1));
        assertTrue(first != view.snapshot());
    }

    @Test
    void aGrowingBacklogCountsAsArrivalsBesideTheThroughput() {
        worker("w-a", 0, 10, 40, Map.of()); // 2 img/s of bulk answered
        view.snapshot();
        clock.advance(java.time.Duration.ofMillis(10_000));
        worker("w-a", 0, 10, 40, Map.of());
        depths.put("bulk", new QueueStats.Depth(600, 1)); // +500 in 10 s
        Recommendation.Advice a = view.snapshot().recommendation();
        assertEquals(52.0, a.arrival().get("bulk"), "2 img/s answered + 50 img/s of growth");
        assertEquals(600L, a.backlog().get("bulk"));
    }
}
