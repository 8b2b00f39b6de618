package tagger.loadtest.schedule;

import java.util.concurrent.Semaphore;

/**
 * The driver's only view of time: read it, wait for it, wait for a free slot. Tests pass a virtual
 * clock that runs a simulated server, so coordinated omission can be shown without sleeping.
 */
public interface Pacer {

    long nanoTime();

    /** Returns at or after {@code deadlineNanos}. */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /** Takes {@code permits} from {@code slots}, waiting no later than {@code deadlineNanos}; false if it ran out of time. */
    boolean acquire(Semaphore slots, int permits, long deadlineNanos) throws InterruptedException;

    /** Real time: {@link System#nanoTime()}, parking and blocking. */
    static Pacer system() {
        return SystemPacer.INSTANCE;
    }
}
