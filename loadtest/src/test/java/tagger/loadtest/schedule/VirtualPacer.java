package tagger.loadtest.schedule;

import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;

/**
 * Virtual time for driver tests: sleeping jumps the clock, and scheduled events (a simulated
 * server's answers) run in time order whenever the driver waits. Single-threaded and exact.
 */
final class VirtualPacer implements Pacer {
    private record Event(long at, long seq, Runnable action) {
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    /** Runs {@code action} at virtual time {@code at}. */
    void at(long at, Runnable action) {
        events.add(new Event(at, seq++, action));
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleepUntil(long deadlineNanos) {
        while (!events.isEmpty() && events.peek().at <= deadlineNanos) {
            fire(events.poll());
        }
        now = Math.max(now, deadlineNanos);
    }

    @Override
    public boolean acquire(Semaphore slots, int permits, long deadlineNanos) {
        while (!slots.tryAcquire(permits)) {
            Event next = events.peek();
            if (next == null || next.at > deadlineNanos) {
                now = Math.max(now, deadlineNanos);
                return false;
            }
            fire(events.poll());
        }
        return true;
    }

    private void fire(Event e) {
        now = Math.max(now, e.at);
        e.action.run();
    }
}
