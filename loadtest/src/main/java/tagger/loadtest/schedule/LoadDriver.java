package tagger.loadtest.schedule;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import tagger.loadtest.workload.Exchange;
import tagger.loadtest.workload.Workload;

/**
 * Offers one level of load: walks an open-loop schedule, or keeps N closed-loop clients busy, and
 * reports every send and answer to a {@link Sink}. Runs on the calling thread (the one
 * "loadtest-driver" thread); answers arrive on the HTTP client's threads.
 *
 * <p>Open loop never waits for the server: a send is only late when the generator itself is behind
 * or all {@code maxInflight} slots are taken, and both are reported. Latency is then measured from
 * the intended time, so lateness cannot hide a stall (wrk2's correction).
 */
public final class LoadDriver {
    private final Pacer pacer;
    private final int maxInflight;

    /** What happened during one level, as far as the driver can tell. */
    public record Driven(long sent, int unfinished) {
    }

    public LoadDriver(Pacer pacer, int maxInflight) {
        if (maxInflight < 1) {
            throw new IllegalArgumentException("max in-flight must be >= 1, got " + maxInflight);
        }
        this.pacer = pacer;
        this.maxInflight = maxInflight;
    }

    /** Runs an open-loop schedule starting at {@code startNanos}, then waits up to {@code drain} for answers. */
    public Driven open(Schedule schedule, Workload workload, Sink sink, long startNanos, long firstIndex,
            Duration drain) throws InterruptedException {
        Semaphore slots = new Semaphore(maxInflight);
        long far = pacer.nanoTime() + Duration.ofDays(365).toNanos();
        for (int i = 0; i < schedule.size(); i++) {
            long intended = startNanos + schedule.offset(i);
            pacer.sleepUntil(intended);
            boolean capped = false;
            if (!slots.tryAcquire()) {
                capped = true;
                pacer.acquire(slots, 1, far);
            }
            long sent = pacer.nanoTime();
            sink.sent(intended, sent, capped);
            issue(workload, firstIndex + i, intended, sent, sink, slots);
        }
        return new Driven(schedule.size(), drain(slots, maxInflight, drain));
    }

    /** Keeps {@code concurrency} requests outstanding from {@code startNanos} for {@code duration}, then drains. */
    public Driven closed(int concurrency, Duration duration, Workload workload, Sink sink, long startNanos,
            long firstIndex, Duration drain) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        long end = startNanos + duration.toNanos();
        pacer.sleepUntil(startNanos);
        long sent = 0;
        while (pacer.acquire(slots, 1, end)) {
            long now = pacer.nanoTime();
            if (now >= end) {
                slots.release();
                break;
            }
            // a closed loop has no schedule: the intended time is the actual one
            sink.sent(now, now, false);
            issue(workload, firstIndex + sent++, now, now, sink, slots);
        }
        return new Driven(sent, drain(slots, concurrency, drain));
    }

    private void issue(Workload workload, long index, long intended, long sent, Sink sink, Semaphore slots) {
        CompletableFuture<Exchange> answer;
        try {
            answer = workload.issue(index, true);
        } catch (RuntimeException e) {
            answer = CompletableFuture.completedFuture(Exchange.transportFailure(workload.name(), "generator", e));
        }
        answer.whenComplete((exchange, error) -> {
            long done = pacer.nanoTime();
            try {
                sink.completed(intended, sent, done, error == null ? exchange
                        : Exchange.transportFailure(workload.name(), "generator", error));
            } finally {
                // after recording, so that a drained level has recorded everything
                slots.release();
            }
        });
    }

    /** Waits until every slot is free again; returns how many requests were still unanswered. */
    private int drain(Semaphore slots, int total, Duration drain) throws InterruptedException {
        if (pacer.acquire(slots, total, pacer.nanoTime() + drain.toNanos())) {
            slots.release(total);
            return 0;
        }
        return total - slots.availablePermits();
    }
}
