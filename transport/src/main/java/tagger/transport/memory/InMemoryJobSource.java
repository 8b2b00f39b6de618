package tagger.transport.memory;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ImageJob;
import tagger.common.TrafficClass;
import tagger.transport.JobDelivery;
import tagger.transport.JobSource;
import tagger.transport.memory.InMemoryJobQueue.Message;

/**
 * A consumer of an {@link InMemoryJobQueue}: one named dispatch thread hands jobs to the handler,
 * at most {@code prefetch} unsettled per traffic class, taking the classes in turn.
 *
 * <p>Closing it gives every unsettled job back to its queue, counted as a failed delivery — what
 * RabbitMQ does when a worker's connection dies. Settling such a delivery afterwards is logged and
 * does nothing, as with a RabbitMQ delivery whose channel closed.
 */
final class InMemoryJobSource implements JobSource {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Logger log = LoggerFactory.getLogger(InMemoryJobSource.class);

    private final InMemoryJobQueue queue;
    // all below guarded by queue.lock
    private final Map<TrafficClass, Integer> unsettled = new EnumMap<>(TrafficClass.class);
    private final Set<Delivery> outstanding = new LinkedHashSet<>();
    private int cursor;
    private boolean stopped;
    private boolean closed;
    private Thread dispatcher;
    private int prefetch;
    private Consumer<JobDelivery> handler;
    private List<TrafficClass> classes;

    InMemoryJobSource(InMemoryJobQueue queue) {
        this.queue = queue;
    }

    @Override
    public void start(int prefetch, Consumer<JobDelivery> handler, TrafficClass... classes) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
        }
        if (classes.length == 0) {
            throw new IllegalArgumentException("name at least one traffic class to consume");
        }
        queue.lock.lock();
        try {
            if (dispatcher != null || closed) {
                throw new IllegalStateException("a source starts once; this one is " + (closed ? "closed" : "started"));
            }
            this.prefetch = prefetch;
            this.handler = Objects.requireNonNull(handler, "handler");
            this.classes = List.of(classes);
            dispatcher = new Thread(this::dispatch, "tagger-memory-source-" + IDS.incrementAndGet());
            dispatcher.setDaemon(true);
            dispatcher.start();
        } finally {
            queue.lock.unlock();
        }
    }

    @Override
    public void stop() {
        queue.lock.lock();
        try {
            stopped = true;
            queue.changed.signalAll();
        } finally {
            queue.lock.unlock();
        }
    }

    @Override
    public boolean isReady() {
        queue.lock.lock();
        try {
            return dispatcher != null && !stopped;
        } finally {
            queue.lock.unlock();
        }
    }

    @Override
    public void close() {
        stop();
        Thread t;
        queue.lock.lock();
        try {
            t = dispatcher;
        } finally {
            queue.lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queue.lock.lock();
        try {
            closed = true;
            for (Delivery d : outstanding) {
                d.stale = true;
                queue.giveBack(d.message);
            }
            outstanding.clear();
        } finally {
            queue.lock.unlock();
        }
    }

    private void dispatch() {
        while (true) {
            Delivery next;
            queue.lock.lock();
            try {
                while ((next = nextDelivery()) == null) {
                    if (stopped) {
                        return;
                    }
                    queue.changed.awaitUninterruptibly();
                }
            } finally {
                queue.lock.unlock();
            }
            try {
                handler.accept(next);
            } catch (RuntimeException e) {
                log.error("job handler failed on request {}; requeueing it", next.job().requestId(), e);
                if (!next.isSettled()) {
                    next.requeue();
                }
            }
        }
    }

    /** The next job of a class with room in its prefetch window, classes taken in turn; lock held. */
    private Delivery nextDelivery() {
        if (stopped) {
            return null;
        }
        for (int i = 0; i < classes.size(); i++) {
            TrafficClass cls = classes.get((cursor + i) % classes.size());
            if (unsettled.getOrDefault(cls, 0) >= prefetch) {
                continue;
            }
            Message m = queue.poll(cls);
            if (m != null) {
                cursor = (cursor + i + 1) % classes.size();
                unsettled.merge(cls, 1, Integer::sum);
                Delivery d = new Delivery(m);
                outstanding.add(d);
                return d;
            }
        }
        return null;
    }

    /** The three ways to settle a delivery, named as the {@link JobDelivery} methods. */
    private enum Settlement {
        ACK("ack"), REQUEUE("requeue"), DEAD_LETTER("deadLetter");

        private final String method;

        Settlement(String method) {
            this.method = method;
        }

        @Override
        public String toString() {
            return method;
        }
    }

    /** One delivered job; its state is guarded by the queue's lock. */
    private final class Delivery implements JobDelivery {
        final Message message;
        Settlement settledAs;
        boolean stale;

        Delivery(Message message) {
            this.message = message;
        }

        @Override
        public ImageJob job() {
            return message.job();
        }

        @Override
        public int previousDeliveries() {
            return message.previousDeliveries();
        }

        @Override
        public void ack() {
            settle(Settlement.ACK);
        }

        @Override
        public void requeue() {
            settle(Settlement.REQUEUE);
        }

        @Override
        public void deadLetter() {
            settle(Settlement.DEAD_LETTER);
        }

        boolean isSettled() {
            queue.lock.lock();
            try {
                return settledAs != null;
            } finally {
                queue.lock.unlock();
            }
        }

        private void settle(Settlement how) {
            queue.lock.lock();
            try {
                if (settledAs != null) {
                    throw new IllegalStateException("delivery of request " + job().requestId()
                            + " was already settled (" + settledAs + "); " + how + " again is a bug");
                }
                settledAs = how;
                if (stale) {
                    log.info("request {}: {} ignored, its source was closed and the job went back to the queue",
                            job().requestId(), how);
                    return;
                }
                outstanding.remove(this);
                unsettled.merge(job().meta().trafficClass(), -1, Integer::sum);
                switch (how) {
                    case ACK -> { } // done: the job leaves the queue for good
                    case REQUEUE -> queue.giveBack(message);
                    case DEAD_LETTER -> queue.deadLetter(job());
                }
                queue.changed.signalAll();
            } finally {
                queue.lock.unlock();
            }
        }
    }
}
