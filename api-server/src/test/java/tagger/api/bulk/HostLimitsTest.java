package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostLimitsTest {
    @Test
    void eachHostGetsAtMostItsCapAndReleasedSlotsAreReused() {
        HostLimits limits = new HostLimits(2);

        assertTrue(limits.tryAcquire("a.test"));
        assertTrue(limits.tryAcquire("a.test"));
        assertFalse(limits.tryAcquire("a.test"));
        assertTrue(limits.tryAcquire("b.test"), "another host has its own slots");
        assertEquals(2, limits.busiest());
        assertEquals(2, limits.activeHosts());

        limits.release("a.test");
        assertTrue(limits.tryAcquire("a.test"));
        limits.release("a.test");
        limits.release("a.test");
        limits.release("b.test");
        assertEquals(0, limits.activeHosts());
        assertEquals(0, limits.busiest());
    }
}
