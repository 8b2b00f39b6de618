package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaleRefusalsTest {
    private static final long MS = 1_000_000L;

    private final StaleRefusals refusals = new StaleRefusals();
    private final Map<String, Long> depths = new HashMap<>();

    private String check(long nackedMs, long nowMs) throws IOException {
        return refusals.check(Map.of("q", new ConfirmWindow.Refusal(1_000, nackedMs * MS)),
                queue -> depths.get(queue), nowMs * MS);
    }

    @Test
    void aRefusalAfterTheQueueWasSeenWithRoomIsStale() throws IOException {
        depths.put("q", 0L);
        assertNull(check(0, 1_000), "one look at an empty queue only remembers the room");
        assertEquals("q", check(1_900, 2_000), "nacked 900 ms after the room was seen");
    }

    @Test
    void aNackThatWasInFlightWhenTheRoomWasSeenIsNot() throws IOException {
        depths.put("q", 0L);
        assertNull(check(0, 1_000));
        assertNull(check(1_150, 2_000), "within the grace after the look");
    }

    @Test
    void aFullQueueIsLeftToTheBrokerToResume() throws IOException {
        depths.put("q", 800L); // 80 % of 1 000: not yet resumed
        assertNull(check(0, 1_000));
        assertNull(check(1_900, 2_000));
        depths.put("q", 950L);
        assertNull(check(2_900, 3_000));
    }

    @Test
    void roomSeenBeforeTheQueueFilledAgainDoesNotCount() throws IOException {
        depths.put("q", 10L);
        assertNull(check(0, 1_000));
        depths.put("q", 990L); // full again: what was seen before is forgotten
        assertNull(check(1_900, 2_000));
        depths.put("q", 10L);
        assertNull(check(2_900, 3_000), "room seen anew at 3 000 ms");
        assertEquals("q", check(3_900, 4_000));
    }

    @Test
    void aQueueThatStoppedRefusingIsForgotten() throws IOException {
        depths.put("q", 0L);
        assertNull(check(0, 1_000));
        assertNull(refusals.check(Map.of(), queue -> depths.get(queue), 2_000 * MS)); // a publish was confirmed
        assertNull(check(2_900, 3_000), "the earlier room no longer counts");
    }
}
