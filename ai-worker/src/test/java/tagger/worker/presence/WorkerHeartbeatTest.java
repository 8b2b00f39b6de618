package tagger.worker.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.TrafficClass;
import tagger.common.WorkerPresence;
import tagger.transport.PresenceBoard;
import tagger.transport.StoreUnavailableException;
import tagger.transport.memory.InMemoryPresenceBoard;
import tagger.worker.metrics.DutyCycle;
import tagger.worker.metrics.RecentActivity;
import tagger.worker.metrics.WorkerMetrics;

class WorkerHeartbeatTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_800_000_000_000L), ZoneOffset.UTC);
    private final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry(),
            new DutyCycle(nanos::get, TimeUnit.SECONDS.toNanos(10)), new RecentActivity(10, nanos::get));
    private final WorkerHeartbeat.Identity identity = new WorkerHeartbeat.Identity("w-1", new ModelRef("demo", "2"),
            "cuda:0", 32, 4, 1_799_999_000_000L);

    private void pass(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void theAnnouncementCarriesIdentityRatesAndAMergeableLatencyHistogram() throws Exception {
        InMemoryPresenceBoard board = new InMemoryPresenceBoard(clock);
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(board, identity, metrics, () -> 7, clock);
        RecentActivity recent = metrics.recent();
        for (int i = 1; i <= 100; i++) {
            recent.answered(TrafficClass.REALTIME, null, i);
        }
        recent.answered(TrafficClass.BULK, ErrorCode.UNDECODABLE, 0);
        recent.batch(16, 1_000);           // 1 s of inference in a 10 s window: 10 %
        recent.preprocessed(12_000);       // 12 s of decoding on 4 threads in 10 s: 30 %, the bottleneck
        pass(10);
        heartbeat.beat();

        List<String> members = board.members(WorkerPresence.KIND);
        assertEquals(1, members.size());
        WorkerPresence p = Json.read(members.get(0), WorkerPresence.class);
        assertEquals("w-1", p.id());
        assertEquals(new ModelRef("demo", "2"), p.model());
        assertEquals("cuda:0", p.device());
        assertEquals(32, p.maxBatch());
        assertEquals(1_800_000_000_000L, p.heartbeatAt());
        assertEquals(10.0, p.windowSeconds());
        assertEquals(10.1, p.imagesPerSecond(), 1e-9);
        assertEquals(0.3, p.utilisation(), 1e-9);
        assertEquals(16, p.batchSizeP50());
        assertEquals(7, p.inFlight());
        assertEquals(100, p.classes().get("realtime").answered());
        assertEquals(Map.of("undecodable", 1L), p.classes().get("bulk").errors());
        Histogram latency = Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(p.classes().get("realtime").latency())), 0);
        assertEquals(100, latency.getTotalCount());
        assertEquals(50, latency.getValueAtPercentile(50), 1);
    }

    @Test
    void aBoardThatIsDownIsSurvivedAndTheWindowStillMovesOn() {
        PresenceBoard down = new PresenceBoard() {
            @Override
            public void announce(String kind, String id, String json, Duration ttl) {
                throw new StoreUnavailableException("Redis is down", null);
            }

            @Override
            public void withdraw(String kind, String id) {
                throw new StoreUnavailableException("Redis is down", null);
            }

            @Override
            public List<String> members(String kind) {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(down, identity, metrics, () -> 0, clock);
        metrics.recent().answered(TrafficClass.REALTIME, null, 5);
        pass(2);
        heartbeat.beat();
        assertEquals(1, metrics.recent().window().classes().get(TrafficClass.REALTIME).answered());
        heartbeat.close(); // the withdraw fails too: logged, not thrown
    }

    /** The in-memory board behind a switch: down, it refuses announcements as an unreachable Redis would. */
    private static final class SwitchableBoard implements PresenceBoard {
        final InMemoryPresenceBoard board;
        volatile boolean up;
        int announcements;

        SwitchableBoard(Clock clock, boolean up) {
            this.board = new InMemoryPresenceBoard(clock);
            this.up = up;
        }

        @Override
        public void announce(String kind, String id, String json, Duration ttl) {
            if (!up) {
                throw new StoreUnavailableException("Redis is down", null);
            }
            announcements++;
            board.announce(kind, id, json, ttl);
        }

        @Override
        public void withdraw(String kind, String id) {
            board.withdraw(kind, id);
        }

        @Override
        public List<String> members(String kind) {
            return board.members(kind);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aBoardThatComesBackEmptyListsTheWorkerAgainOnTheNextRetryNotTheNextBeat() {
        SwitchableBoard board = new SwitchableBoard(clock, false);
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(board, identity, metrics, () -> 0, clock);
        heartbeat.beat();
        heartbeat.retry();
        assertTrue(board.members(WorkerPresence.KIND).isEmpty());
        board.up = true;
        heartbeat.retry();
        assertEquals("w-1", Json.read(board.members(WorkerPresence.KIND).get(0), WorkerPresence.class).id());
    }

    @Test
    void aRetryWhileTheBoardIsReachableAnnouncesNothing() {
        SwitchableBoard board = new SwitchableBoard(clock, true);
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(board, identity, metrics, () -> 0, clock);
        heartbeat.beat();
        heartbeat.retry();
        assertEquals(1, board.announcements);
    }

    @Test
    void closingWithdrawsTheWorkerAtOnce() {
        InMemoryPresenceBoard board = new InMemoryPresenceBoard(clock);
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(board, identity, metrics, () -> 0, clock);
        heartbeat.beat();
        assertTrue(!board.members(WorkerPresence.KIND).isEmpty());
        heartbeat.close();
        assertTrue(board.members(WorkerPresence.KIND).isEmpty());
    }
}
