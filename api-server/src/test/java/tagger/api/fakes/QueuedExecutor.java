package tagger.api.fakes;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that only queues; the test runs the tasks when it chooses, on its own thread. */
public final class QueuedExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private int executed;

    @Override
    public synchronized void execute(Runnable command) {
        tasks.add(command);
    }

    /** Runs every queued task, including those queued meanwhile; returns how many ran. */
    public int runAll() {
        int ran = 0;
        Runnable next;
        while ((next = poll()) != null) {
            next.run();
            ran++;
        }
        return ran;
    }

    public synchronized int queued() {
        return tasks.size();
    }

    /** Tasks run so far. */
    public synchronized int executed() {
        return executed;
    }

    private synchronized Runnable poll() {
        Runnable r = tasks.poll();
        if (r != null) {
            executed++;
        }
        return r;
    }
}
