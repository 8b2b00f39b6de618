package tagger.transport.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.BatchOutcome;
import tagger.common.TagResult;
import tagger.transport.BatchStore;
import tagger.transport.ResultFeed;
import tagger.transport.ResultStore;

/**
 * Results of the embedded mode, with Redis's semantics: first writer wins, results expire after a
 * TTL, and notifications are at-most-once — a listener not subscribed when a result is stored
 * never hears of it and must {@link #fetch}.
 *
 * <p>Listeners are called on one named thread, {@code tagger-memory-results}, fed by a bounded
 * queue; when it is full a notification is dropped (logged), as Redis drops a subscriber that
 * cannot keep up.
 */
public final class InMemoryResultStore implements ResultStore, ResultFeed {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    static final int NOTIFICATIONS_QUEUED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(InMemoryResultStore.class);

    /** A stored result and when it expires. */
    private record Stored(TagResult result, long expiresAtMs) {
    }

    /** Insertion order is expiry order, since every result gets the same TTL. Guarded by itself. */
    private final LinkedHashMap<String, Stored> results = new LinkedHashMap<>();
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final BlockingQueue<Runnable> notifications = new ArrayBlockingQueue<>(NOTIFICATIONS_QUEUED);
    private final long ttlMs;
    private final Clock clock;
    private final BatchStore batches;
    private final Thread notifier;
    private volatile boolean closed;

    public InMemoryResultStore() {
        this(DEFAULT_TTL, Clock.systemUTC());
    }

    public InMemoryResultStore(Duration ttl, Clock clock) {
        this(ttl, clock, new InMemoryBatchStore(clock));
    }

    /** @param batches where results of bulk items (completions with a batch id) are recorded */
    public InMemoryResultStore(Duration ttl, Clock clock, BatchStore batches) {
        this.batches = batches;
        this.ttlMs = ttl.toMillis();
        this.clock = clock;
        this.notifier = new Thread(this::notifyLoop, "tagger-memory-results");
        notifier.setDaemon(true);
        notifier.start();
    }

    @Override
    public int complete(List<Completion> completions) {
        return (int) completeEach(completions).stream().filter(Boolean::booleanValue).count();
    }

    @Override
    public List<Boolean> completeEach(List<Completion> completions) {
        Boolean[] first = new Boolean[completions.size()];
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            if (c.batchId() != null) {
                first[i] = batches.record(List.of(new BatchStore.ItemResult(c.batchId(),
                        BatchOutcome.of(c.result())))) == 1;
            }
        }
        synchronized (results) {
            long now = clock.millis();
            expire(now);
            for (int i = 0; i < completions.size(); i++) {
                Completion c = completions.get(i);
                if (c.batchId() != null) {
                    continue;
                }
                String id = c.result().requestId();
                Stored existing = results.get(id);
                TagResult winner;
                if (existing == null) {
                    results.put(id, new Stored(c.result(), now + ttlMs));
                    winner = c.result();
                    first[i] = true;
                } else {
                    winner = existing.result();
                    first[i] = false;
                }
                if (c.replyTo() != null) {
                    announce(c.replyTo(), winner);
                }
            }
        }
        return java.util.Arrays.asList(first);
    }

    @Override
    public Set<String> cancelledBatches(Collection<String> batchIds) {
        return batches.cancelled(batchIds);
    }

    @Override
    public Map<String, TagResult> fetch(Collection<String> requestIds) {
        Map<String, TagResult> found = new LinkedHashMap<>();
        synchronized (results) {
            expire(clock.millis());
            for (String id : requestIds) {
                Stored s = results.get(id);
                if (s != null) {
                    found.put(id, s.result());
                }
            }
        }
        return found;
    }

    /** Replaces an earlier listener of the same instance; confirms with {@code onSubscribed} on the feed's thread. */
    @Override
    public void subscribe(String instanceId, Listener listener) {
        listeners.put(instanceId, listener);
        enqueue(listener::onSubscribed, "onSubscribed for " + instanceId);
    }

    @Override
    public boolean isReady() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        notifier.interrupt();
    }

    private void announce(String instanceId, TagResult result) {
        Listener l = listeners.get(instanceId);
        if (l != null) {
            enqueue(() -> l.onResult(result), "result of request " + result.requestId());
        }
    }

    private void enqueue(Runnable notification, String what) {
        if (closed || !notifications.offer(notification)) {
            log.warn("dropping notification ({}): {}", what, closed ? "the store is closed"
                    : NOTIFICATIONS_QUEUED + " notifications are already waiting for slow listeners");
        }
    }

    private void expire(long now) {
        Iterator<Stored> it = results.values().iterator();
        while (it.hasNext() && it.next().expiresAtMs() <= now) {
            it.remove();
        }
    }

    private void notifyLoop() {
        while (!closed) {
            Runnable next;
            try {
                next = notifications.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("result listener failed", e);
            }
        }
    }
}
