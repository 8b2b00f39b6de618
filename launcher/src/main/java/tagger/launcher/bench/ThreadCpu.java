package tagger.launcher.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of one Java thread, to tell apart "inference was slow" from "the inference thread was
 * waiting for a core": on a shared 2-core machine the second is common. Only the thread that calls
 * ONNX Runtime is seen; with more than one intra-op thread, the runtime's own pool threads are not.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long threadId;

    private ThreadCpu(long threadId) {
        this.threadId = threadId;
    }

    /** The live thread with this name, or null when there is none or the JVM cannot measure thread CPU time. */
    static ThreadCpu find(String name) {
        if (!THREADS.isThreadCpuTimeSupported()) {
            return null;
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) && t.isAlive()) {
                return new ThreadCpu(t.getId());
            }
        }
        return null;
    }

    /** The calling thread. */
    static ThreadCpu current() {
        return THREADS.isThreadCpuTimeSupported() ? new ThreadCpu(Thread.currentThread().getId()) : null;
    }

    /** CPU seconds the thread has used so far (NaN once it has ended). */
    double seconds() {
        long nanos = THREADS.getThreadCpuTime(threadId);
        return nanos < 0 ? Double.NaN : nanos / 1e9;
    }
}
