package tagger.transport.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.transport.BatchStore;
import tagger.transport.BatchStoreContract;

class InMemoryBatchStoreTest extends BatchStoreContract {
    private final InMemoryBatchStore store = new InMemoryBatchStore();

    @Override
    protected BatchStore store() {
        return store;
    }

    @Test
    void aBatchIsForgottenWhenItsRetentionPassesWithoutActivity() {
        long[] now = {1_000_000};
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneId.of("UTC");
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        InMemoryBatchStore timed = new InMemoryBatchStore(clock);
        String id = timed.claim(newBatch("key", null)).batch().id();
        now[0] += RETENTION.toMillis() - 1;
        timed.record(List.of(ok(id, "a"))); // activity extends the retention

        now[0] += RETENTION.toMillis() - 1;
        assertTrue(timed.batch(id).isPresent());
        now[0] += 1;
        assertTrue(timed.batch(id).isEmpty());
        assertEquals(true, timed.claim(newBatch("key", null)).created(), "the idempotency key went with it");
        assertEquals(Duration.ofDays(7), RETENTION);
    }
}
