package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaleRefusalsTest {
    private static final long MS = 1_000_000L;

    private final StaleRefusals refusals = new StaleRefusals();
    private final Map<String, Long> depths = new HashMap<>();

    private StaleRefusals.Stale check(long nackedMs, long nowMs) throws IOException {
        return check(nackedMs, nowMs, Set.of());
    }

    private StaleRefusals.Stale check(long nackedMs, long nowMs, Set<String> confirmed) throws IOException {
        return refusals.check(Map.of("q", new ConfirmWindow.Refusal(1_000, nackedMs * MS)), confirmed,
                queue -> depths.get(queue), nowMs * MS);
    }

    @Test
    void aRefusalAfterTheQueueWasSeenWithRoomIsStale() throws IOException {
        depths.put("q", 0L);
        assertNull(check(0, 1_000), "one look at an empty queue only remembers the room");
        assertEquals(new StaleRefusals.Stale("q", 1), check(1_900, 2_000), "nacked 900 ms after the room was seen");
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
        assertEquals("q", check(3_900, 4_000).queue());
    }

    @Test
    void aQueueThatStoppedRefusingIsForgotten() throws IOException {
        depths.put("q", 0L);
        assertNull(check(0, 1_000));
        assertNull(refusals.check(Map.of(), Set.of(), queue -> depths.get(queue), 2_000 * MS)); // a publish was confirmed
        assertNull(check(2_900, 3_000), "the earlier room no longer counts");
    }

    @Test
    void aQueueStaleOnChannelAfterChannelWaitsTwiceAsLongEachTimeUntilAPublishIsConfirmed() throws IOException {
        depths.put("q", 0L);
        assertNull(check(0, 0));
        assertEquals(new StaleRefusals.Stale("q", 1), check(250, 250)); // replaced; the next one waits 500 ms
        assertNull(check(300, 500)); // a new channel, refused again: room seen
        assertNull(check(700, 700), "stale again, but its wait runs until 750 ms");
        assertEquals(new StaleRefusals.Stale("q", 2), check(950, 1_000)); // the next one waits 1 s
        assertNull(check(1_000, 1_250));
        assertNull(check(1_500, 1_750), "until 2 000 ms");
        assertEquals(new StaleRefusals.Stale("q", 3), check(2_200, 2_250));

        assertNull(check(2_300, 2_500, Set.of("q")), "a confirmed publish ends the run");
        assertEquals(new StaleRefusals.Stale("q", 1), check(2_750, 2_750));
    }
}
