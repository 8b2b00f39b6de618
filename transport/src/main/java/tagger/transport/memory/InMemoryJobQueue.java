package tagger.transport.memory;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ImageJob;
import tagger.common.TrafficClass;
import tagger.transport.JobPublisher;
import tagger.transport.JobSource;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;

/**
 * The job queues of the embedded mode (one JVM, no broker), with RabbitMQ's semantics: one FIFO
 * per traffic class, optional length limits that refuse publishes, a delivery limit counted over
 * requeues and crashed consumers, and a dead-letter list.
 *
 * <p>The queue is the broker; {@link #publisher()} and {@link #source()} hand out clients with
 * their own lifecycle, so closing a source (a crashed worker) returns its unsettled jobs while
 * the queue and its publishers live on. One lock guards all state; each source has one named
 * dispatch thread.
 */
public final class InMemoryJobQueue {
    public static final int DEFAULT_DELIVERY_LIMIT = 5;
    /** Dead letters kept for inspection; older ones are dropped (logged) beyond this. */
    static final int DEAD_LETTERS_KEPT = 10_000;
    private static final Logger log = LoggerFactory.getLogger(InMemoryJobQueue.class);

    /** A job in a queue, with how many times it was handed out and came back. */
    record Message(ImageJob job, int previousDeliveries) {
    }

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a queue gains a message or a source gains room. */
    final Condition changed = lock.newCondition();
    private final Map<TrafficClass, ArrayDeque<Message>> queues = new EnumMap<>(TrafficClass.class);
    private final ArrayDeque<ImageJob> deadLetters = new ArrayDeque<>();
    private final int deliveryLimit;
    private final Map<TrafficClass, Integer> maxLength;

    /**
     * @param deliveryLimit times a job may come back (requeued, or its source closed) before it is
     *                      dead-lettered, as RabbitMQ's {@code x-delivery-limit}
     * @param maxLength     per traffic class, the length at which publishes are refused
     */
    public InMemoryJobQueue(int deliveryLimit, Map<TrafficClass, Integer> maxLength) {
        if (deliveryLimit < 0) {
            throw new IllegalArgumentException("delivery limit must be >= 0, got " + deliveryLimit);
        }
        this.deliveryLimit = deliveryLimit;
        this.maxLength = maxLength.isEmpty() ? Map.of() : new EnumMap<>(maxLength);
        for (TrafficClass c : TrafficClass.values()) {
            queues.put(c, new ArrayDeque<>());
        }
    }

    /** Delivery limit 5, unbounded queues. */
    public InMemoryJobQueue() {
        this(DEFAULT_DELIVERY_LIMIT, Map.of());
    }

    /** A new publishing client; closing it refuses its later publishes only. */
    public JobPublisher publisher() {
        return new Publisher();
    }

    /** A new consuming client; closing it puts its unsettled jobs back, as a dead worker's connection would. */
    public JobSource source() {
        return new InMemoryJobSource(this);
    }

    /** Jobs that were dead-lettered, oldest first. */
    public List<ImageJob> deadLetters() {
        lock.lock();
        try {
            return List.copyOf(deadLetters);
        } finally {
            lock.unlock();
        }
    }

    /** How many jobs wait in a class's queue (not counting delivered, unsettled ones). */
    public int depth(TrafficClass cls) {
        lock.lock();
        try {
            return queues.get(cls).size();
        } finally {
            lock.unlock();
        }
    }

    void enqueue(ImageJob job) {
        TrafficClass cls = job.meta().trafficClass();
        lock.lock();
        try {
            Integer max = maxLength.get(cls);
            ArrayDeque<Message> q = queues.get(cls);
            if (max != null && q.size() >= max) {
                throw new QueueFullException("queue " + cls.key() + " is full (max length " + max
                        + "): refused request " + job.requestId());
            }
            q.addLast(new Message(job, 0));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the head of a class's queue, or null; call with the lock held. */
    Message poll(TrafficClass cls) {
        return queues.get(cls).pollFirst();
    }

    /** A delivered job came back: to the head of its queue, or to the dead letters past the limit. Lock held. */
    void giveBack(Message m) {
        int previous = m.previousDeliveries() + 1;
        if (previous > deliveryLimit) {
            log.warn("request {} came back {} times (delivery limit {}): dead-lettering it", m.job().requestId(),
                    previous, deliveryLimit);
            deadLetter(m.job());
            return;
        }
        // like a quorum queue, returned messages are delivered before new ones
        queues.get(m.job().meta().trafficClass()).addFirst(new Message(m.job(), previous));
        changed.signalAll();
    }

    /** Lock held. */
    void deadLetter(ImageJob job) {
        if (deadLetters.size() >= DEAD_LETTERS_KEPT) {
            ImageJob dropped = deadLetters.pollFirst();
            log.warn("dead-letter list is full ({} jobs): dropping the oldest, request {}", DEAD_LETTERS_KEPT,
                    dropped.requestId());
        }
        deadLetters.addLast(job);
    }

    /** Publishing client: accepted means enqueued, so its futures complete before {@code publish} returns. */
    private final class Publisher implements JobPublisher {
        private volatile boolean closed;

        @Override
        public CompletableFuture<Void> publish(ImageJob job) {
            if (closed) {
                return CompletableFuture.failedFuture(new QueueUnavailableException(
                        "the publisher is closed; refused request " + job.requestId()));
            }
            try {
                enqueue(job);
                return CompletableFuture.completedFuture(null);
            } catch (QueueFullException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public boolean isReady() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
