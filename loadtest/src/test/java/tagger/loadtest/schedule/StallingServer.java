package tagger.loadtest.schedule;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tagger.loadtest.workload.Exchange;
import tagger.loadtest.workload.Workload;

/**
 * A simulated server in virtual time: one request at a time, first come first served, a fixed
 * service time, and one freeze (a GC pause, a failover) of {@code stallNanos} starting at
 * {@code stallAt}. The textbook case for coordinated omission.
 */
final class StallingServer implements Workload {
    private final VirtualPacer pacer;
    private final long serviceNanos;
    private final long stallAt;
    private final long stallNanos;
    private long freeAt;
    private boolean stalled;
    int served;

    StallingServer(VirtualPacer pacer, long serviceNanos, long stallAt, long stallNanos) {
        this.pacer = pacer;
        this.serviceNanos = serviceNanos;
        this.stallAt = stallAt;
        this.stallNanos = stallNanos;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public CompletableFuture<Exchange> issue(long index, boolean faults) {
        long start = Math.max(pacer.nanoTime(), freeAt);
        if (!stalled && start + serviceNanos > stallAt) {
            // the server freezes at stallAt; work in progress or arriving finishes after the freeze
            start = Math.max(start, stallAt) + stallNanos;
            stalled = true;
        }
        long done = start + serviceNanos;
        freeAt = done;
        CompletableFuture<Exchange> answer = new CompletableFuture<>();
        pacer.at(done, () -> {
            served++;
            answer.complete(new Exchange("sim", 200, null, null, 1, 1, List.of(), Map.of(), null));
        });
        return answer;
    }
}
