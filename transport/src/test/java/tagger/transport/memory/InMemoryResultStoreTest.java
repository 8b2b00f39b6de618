package tagger.transport.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tagger.common.TagResult;
import tagger.transport.BatchStore;
import tagger.transport.ResultFeed;
import tagger.transport.ResultStore;
import tagger.transport.ResultStore.Completion;
import tagger.transport.ResultStoreContract;
import tagger.transport.SampleJobs;

class InMemoryResultStoreTest extends ResultStoreContract {
    private final MutableClock clock = new MutableClock();
    private final InMemoryBatchStore batches = new InMemoryBatchStore(clock);
    private final InMemoryResultStore store = new InMemoryResultStore(Duration.ofSeconds(60), clock, batches);

    @Override
    protected BatchStore batches() {
        return batches;
    }

    @Override
    protected ResultStore store() {
        return store;
    }

    @Override
    protected ResultFeed feed() {
        return store;
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void resultExpiresAfterItsTtlAndTheNextWriterWins() {
        TagResult first = SampleJobs.result("cat");
        store.complete(List.of(new Completion(first, null)));

        clock.advance(Duration.ofSeconds(60));

        assertTrue(store.fetch(List.of(first.requestId())).isEmpty());
        TagResult later = SampleJobs.result(first.requestId(), "dog");
        assertEquals(1, store.complete(List.of(new Completion(later, null))));
        assertEquals(Map.of(first.requestId(), later), store.fetch(List.of(first.requestId())));
    }

    @Test
    void resultIsStillThereJustBeforeItsTtl() {
        TagResult first = SampleJobs.result("cat");
        store.complete(List.of(new Completion(first, null)));

        clock.advance(Duration.ofSeconds(59));

        assertEquals(Map.of(first.requestId(), first), store.fetch(List.of(first.requestId())));
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
