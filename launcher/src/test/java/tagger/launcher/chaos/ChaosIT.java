package tagger.launcher.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos suite: a worker killed, the broker unreachable, Redis restarted without its data —
 * each under load against a real stack (api-server + 2 worker processes, a redis-server of its own,
 * the shared RabbitMQ behind a fault proxy). Nothing may be lost, duplicated or answered for another
 * image; 503s come at once during an outage; answers resume once the component is back. Bounds are
 * generous (a busy 2-core machine): the deadline is 20 s, so the exact counts are what is asserted.
 */
class ChaosIT {
    private static final long DEADLINE_MS = 20_000;
    /** The mechanisms: the store probe runs every 250 ms, broker reconnects pause at most 500 ms. */
    private static final long FAST_503_LIMIT_MS = 5_000;
    private static final long RECOVERY_LIMIT_MS = 10_000;

    @Test
    void noFaultLosesDuplicatesOrMixesUpAnswers(@TempDir Path dir) throws Exception {
        ChaosSuite.Settings settings = new ChaosSuite.Settings(4, Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(2), 0, 0, DEADLINE_MS);
        try (ChaosStack stack = ChaosStack.start(2, DEADLINE_MS, dir, System.out)) {
            List<Report> reports = ChaosCommand.run(stack, settings,
                    List.of(Fault.WORKER_KILL, Fault.BROKER_OUTAGE, Fault.REDIS_LOST));
            for (Report r : reports) {
                String what = r.fault().key + ": " + r;
                assertTrue(r.requests() >= 20, what);
                assertEquals(0, r.lost(), what);
                assertEquals(0, r.duplicates(), what);
                assertEquals(0, r.wrong(), what);
                System.out.println("measured: chaos " + r.fault().key + ", slowest 503 after the fault "
                        + r.slowest503Ms() + " ms, recovery " + r.recoveryMs() + " ms");
            }
            Report kill = reports.get(0);
            assertEquals(Map.of("url 200", kill.requests()), kill.outcomes(), "every call tagged despite the kill");
            for (Report outage : reports.subList(1, 3)) {
                String what = outage.fault().key + ": " + outage;
                assertTrue(outage.outcomes().keySet().stream().anyMatch(k -> k.endsWith("503 unavailable")),
                        "the outage was seen: " + what);
                assertTrue(outage.slowest503Ms() >= 0 && outage.slowest503Ms() < FAST_503_LIMIT_MS, what);
                assertTrue(outage.recoveryMs() >= 0 && outage.recoveryMs() < RECOVERY_LIMIT_MS, what);
            }
            Report lost = reports.get(2);
            assertTrue(lost.notes().stream().anyMatch(n -> n.contains("-> 410 batch_lost")),
                    "the batch lost with Redis's data is reported lost: " + lost);
        }
    }
}
