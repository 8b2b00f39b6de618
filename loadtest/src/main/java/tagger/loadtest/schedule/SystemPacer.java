package tagger.loadtest.schedule;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Real time. Sleeps park the thread (no spinning: on a 2-core machine a spinning generator steals the server's CPU). */
final class SystemPacer implements Pacer {
    static final SystemPacer INSTANCE = new SystemPacer();

    private SystemPacer() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public boolean acquire(Semaphore slots, int permits, long deadlineNanos) throws InterruptedException {
        if (slots.tryAcquire(permits)) {
            return true;
        }
        long left = deadlineNanos - System.nanoTime();
        return left > 0 && slots.tryAcquire(permits, left, TimeUnit.NANOSECONDS);
    }
}
