package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchIdsTest {
    private static final String EPOCH = "3b0f5a3c-52b1-4bde-9a4e-2f4c1d7e9a10";

    @Test
    void aGeneratedIdIsAVersion7UuidThatCarriesItsTimeAndEpoch() {
        long now = 1_796_000_000_123L;
        String id = BatchIds.generate(EPOCH, now);
        assertTrue(id.matches("b-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
        assertTrue(BatchParser.BATCH_ID.matcher(id).matches(), "a client could have proposed it as well");
        BatchIds.Origin origin = BatchIds.parse(id).orElseThrow();
        assertEquals(now, origin.createdMs());
        assertEquals(BatchIds.tag(EPOCH), origin.epochTag());
        assertNotEquals(BatchIds.tag(EPOCH), BatchIds.tag("another-epoch"));
    }

    @Test
    void idsMadeInTheSameMillisecondUnderOneEpochDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(BatchIds.generate(EPOCH, 1_796_000_000_000L));
        }
        assertEquals(10_000, ids.size());
    }

    @Test
    void otherIdsSayNothing() {
        assertTrue(BatchIds.parse("b-" + UUID.randomUUID()).isEmpty(), "the earlier form: a random UUID");
        assertTrue(BatchIds.parse("my-batch-7").isEmpty());
        assertTrue(BatchIds.parse("b-0190a3c4-5e6f-7abc-8def-0123456789zz").isEmpty(), "not hex");
        assertTrue(BatchIds.parse("x-0190a3c4-5e6f-7abc-8def-0123456789ab").isEmpty(), "not ours");
    }
}
