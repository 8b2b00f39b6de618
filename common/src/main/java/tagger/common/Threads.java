package tagger.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The project's own threads: daemons (a service stops by closing its parts, never by waiting for a
 * stray thread), each named so that a thread dump shows who is who.
 */
public final class Threads {
    private Threads() {
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, … */
    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + n.incrementAndGet());
    }

    /** Daemon threads all named {@code name}: for a single-thread executor. */
    public static ThreadFactory single(String name) {
        return r -> daemon(r, name);
    }

    /** An unstarted daemon thread. */
    public static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
