package tagger.api.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A memory budget for request bodies: the bytes of all bodies admitted and not yet answered never
 * exceed {@link #limit()}, so a flood of large uploads is refused (429) instead of filling the heap.
 */
public final class UploadBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public UploadBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("upload budget must be at least 1 byte, got " + limit);
        }
        this.limit = limit;
    }

    /** Takes {@code bytes} from the budget if they fit; never blocks. */
    public boolean tryAcquire(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        held.addAndGet(-bytes);
    }

    /** Bytes held by admitted bodies right now. */
    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
