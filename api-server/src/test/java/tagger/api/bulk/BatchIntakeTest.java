package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.api.fakes.MutableClock;
import tagger.api.http.RequestException;
import tagger.transport.BatchStore;
import tagger.transport.memory.InMemoryBatchStore;
import tagger.transport.memory.InMemoryJobQueue;

class BatchIntakeTest {
    private static final long NOW = 1_800_000_000_000L;
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryBatchStore store = new InMemoryBatchStore(clock);
    private final BatchIntake intake = new BatchIntake(store, new InMemoryJobQueue().publisher(), Duration.ofDays(1),
            clock);

    private static BatchSubmission submission(String batchId, Long targetSeconds, Instant deadline) {
        BatchSubmission.Options o = new BatchSubmission.Options(null, null, null, batchId, targetSeconds, deadline,
                true);
        List<BatchSubmission.Item> items = List.of(new BatchSubmission.Item("1", "http://img.test/1.png"));
        return new BatchSubmission(o, items, List.of(), 0, BatchParser.fingerprint(o, items));
    }

    @Test
    void aTargetInSecondsBecomesADeadlineCountedFromTheSubmission() {
        intake.submit(submission("b-target", 7_200L, null), null, null, "e1");

        assertEquals(NOW + 7_200_000, store.batch("b-target").orElseThrow().deadlineAt());
    }

    @Test
    void aDeadlineTooSoonOrPastIsRefusedBeforeAnythingIsQueued() {
        RequestException e = assertThrows(RequestException.class, () -> intake.submit(
                submission("b-late", null, Instant.ofEpochMilli(NOW + 5_000)), null, null, "e1"));

        assertEquals("deadline must be at least 10 s in the future, got 2027-01-15T08:00:05Z (now 2027-01-15T08:00:00Z)",
                e.getMessage());
        assertTrue(store.batch("b-late").isEmpty(), "no batch was created");
        intake.submit(submission("b-ok", null, Instant.ofEpochMilli(NOW + 60_000)), null, null, "e1");
        assertEquals(NOW + 60_000, store.batch("b-ok").map(BatchStore.Batch::deadlineAt).orElseThrow());
    }
}
