package tagger.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DutyCycleTest {
    private static final long S = 1_000_000_000L;

    @Test
    void lastWindowIsTheBusyShareOfTheClosedWindow() {
        AtomicLong now = new AtomicLong();
        DutyCycle duty = new DutyCycle(now::get, 10 * S);
        duty.busy(0, 3 * S);
        duty.busy(4 * S, 8 * S);
        assertEquals(0.0, duty.lastWindow(), "no window has closed yet");
        now.set(10 * S);
        assertEquals(0.7, duty.lastWindow(), 1e-9);
        assertEquals(7.0, duty.busySeconds(), 1e-9);
    }

    @Test
    void anIdleWindowReadsZero() {
        AtomicLong now = new AtomicLong();
        DutyCycle duty = new DutyCycle(now::get, 10 * S);
        duty.busy(0, 10 * S);
        now.set(10 * S);
        assertEquals(1.0, duty.lastWindow(), 1e-9);
        now.set(20 * S);
        assertEquals(0.0, duty.lastWindow(), 1e-9);
    }

    @Test
    void sinceGivesTheShareOverAnyInterval() {
        AtomicLong now = new AtomicLong(5 * S);
        DutyCycle duty = new DutyCycle(now::get, 10 * S);
        double busyThen = duty.busySeconds();
        long then = now.get();
        duty.busy(5 * S, 8 * S);
        now.set(9 * S);
        assertEquals(0.75, duty.since(then, busyThen), 1e-9);
    }
}
