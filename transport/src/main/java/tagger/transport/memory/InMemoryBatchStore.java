package tagger.transport.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tagger.common.Json;
import tagger.transport.BatchState;
import tagger.transport.BatchStore;
import tagger.transport.DecayingRate;

/**
 * Bulk batches of the embedded mode, with the Redis store's semantics: one outcome per item,
 * a results log read by cursor, retention counted from the last write, leased callbacks. One lock
 * (this object) guards everything.
 */
public final class InMemoryBatchStore implements BatchStore {

    /** One batch's state; the results log's cursors are {@code 0-<n>}, n counting from 1. */
    private static final class Held {
        final String id;
        final NewBatch spec;
        BatchState state = BatchState.ACCEPTING;
        long items = -1;
        long done;
        long failed;
        long cancelled;
        long createdAt;
        long intakeAt;
        int intakes = 1;
        long finishedAt;
        long expiresAt;
        String callbackState;
        int callbackAttempts;
        double rate;
        long rateAt;
        long firstAt;
        final Set<String> finishedItems = new HashSet<>();
        final List<Entry> results = new ArrayList<>();

        Held(String id, NewBatch spec) {
            this.id = id;
            this.spec = spec;
        }
    }

    private final Clock clock;
    private final Map<String, Held> batches = new HashMap<>();
    private final Map<String, String> idempotency = new HashMap<>();
    private final Map<String, Long> callbacksDue = new HashMap<>();
    private volatile boolean closed;

    public InMemoryBatchStore() {
        this(Clock.systemUTC());
    }

    public InMemoryBatchStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Claim claim(NewBatch b) {
        long now = expire();
        String existing = b.idempotencyKey() == null ? null : idempotency.get(b.idempotencyKey());
        if (existing != null && batches.containsKey(existing)) {
            return new Claim(false, view(batches.get(existing)));
        }
        Held same = batches.get(b.batchId());
        if (same != null) {
            return new Claim(false, view(same));
        }
        Held h = new Held(b.batchId(), b);
        h.createdAt = now;
        h.intakeAt = now;
        h.expiresAt = now + b.retention().toMillis();
        batches.put(h.id, h);
        if (b.idempotencyKey() != null) {
            idempotency.put(b.idempotencyKey(), h.id);
        }
        return new Claim(true, view(h));
    }

    @Override
    public synchronized void intakeAlive(String batchId) {
        Held h = batches.get(batchId);
        if (h != null && h.state == BatchState.ACCEPTING) {
            h.intakeAt = clock.millis();
        }
    }

    @Override
    public synchronized boolean takeOverIntake(String batchId, Duration staleAfter) {
        long now = expire();
        Held h = batches.get(batchId);
        if (h == null || h.state != BatchState.ACCEPTING || now - h.intakeAt < staleAfter.toMillis()) {
            return false;
        }
        h.intakeAt = now;
        h.intakes++;
        return true;
    }

    @Override
    public synchronized void accepted(String batchId, long items) {
        long now = expire();
        Held h = batches.get(batchId);
        if (h == null) {
            return;
        }
        h.items = items;
        if (h.state == BatchState.ACCEPTING) {
            h.state = BatchState.RUNNING;
        }
        finishIfComplete(h, now);
    }

    @Override
    public synchronized int record(List<ItemResult> results) {
        long now = expire();
        int recorded = 0;
        for (ItemResult r : results) {
            Held h = batches.get(r.batchId());
            if (h == null || !h.finishedItems.add(r.outcome().id())) {
                continue;
            }
            recorded++;
            h.results.add(new Entry("0-" + (h.results.size() + 1), Json.write(r.outcome())));
            switch (BatchStore.counterOf(r.outcome())) {
                case "done" -> h.done++;
                case "cancelled" -> h.cancelled++;
                default -> h.failed++;
            }
            h.rate = DecayingRate.add(h.rate, h.rateAt == 0 ? now : h.rateAt, now, DecayingRate.TAU_MS);
            h.rateAt = now;
            if (h.firstAt == 0) {
                h.firstAt = now;
            }
            h.expiresAt = now + h.spec.retention().toMillis();
            finishIfComplete(h, now);
        }
        return recorded;
    }

    @Override
    public synchronized Optional<Batch> batch(String batchId) {
        expire();
        return Optional.ofNullable(batches.get(batchId)).map(InMemoryBatchStore::view);
    }

    @Override
    public synchronized List<Batch> open() {
        expire();
        return batches.values().stream().map(InMemoryBatchStore::view).filter(b -> !b.complete()).toList();
    }

    @Override
    public synchronized Set<String> finishedItems(String batchId, Collection<String> itemIds) {
        expire();
        Held h = batches.get(batchId);
        Set<String> found = new LinkedHashSet<>();
        if (h != null) {
            for (String id : itemIds) {
                if (h.finishedItems.contains(id)) {
                    found.add(id);
                }
            }
        }
        return found;
    }

    @Override
    public synchronized Set<String> cancelled(Collection<String> batchIds) {
        expire();
        Set<String> found = new LinkedHashSet<>();
        for (String id : batchIds) {
            Held h = batches.get(id);
            if (h != null && h.state == BatchState.CANCELLED) {
                found.add(id);
            }
        }
        return found;
    }

    @Override
    public synchronized Page results(String batchId, String cursor, int limit) {
        expire();
        Held h = batches.get(batchId);
        if (h == null) {
            return new Page(List.of(), cursor);
        }
        int from = cursor == null ? 0 : Integer.parseInt(cursor.substring(cursor.indexOf('-') + 1));
        List<Entry> page = List.copyOf(h.results.subList(Math.min(from, h.results.size()),
                Math.min(h.results.size(), from + limit)));
        return new Page(page, page.isEmpty() ? cursor : page.get(page.size() - 1).cursor());
    }

    @Override
    public synchronized CancelResult cancel(String batchId) {
        expire();
        Held h = batches.get(batchId);
        if (h == null) {
            return CancelResult.UNKNOWN;
        }
        if (h.state == BatchState.FINISHED) {
            return CancelResult.ALREADY_FINISHED;
        }
        h.state = BatchState.CANCELLED;
        return CancelResult.CANCELLED;
    }

    @Override
    public synchronized Optional<CallbackClaim> claimCallback(Duration lease) {
        long now = expire();
        for (Map.Entry<String, Long> due : callbacksDue.entrySet()) {
            if (due.getValue() <= now) {
                due.setValue(now + lease.toMillis());
                Held h = batches.get(due.getKey());
                int attempt = h == null ? 1 : ++h.callbackAttempts;
                return Optional.of(new CallbackClaim(due.getKey(), attempt));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void callbackSettled(String batchId, String state) {
        callbacksDue.remove(batchId);
        Held h = batches.get(batchId);
        if (h != null) {
            h.callbackState = state;
        }
    }

    @Override
    public synchronized void callbackRetry(String batchId, Duration delay, String state) {
        callbacksDue.put(batchId, clock.millis() + delay.toMillis());
        Held h = batches.get(batchId);
        if (h != null) {
            h.callbackState = state;
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

    private void finishIfComplete(Held h, long now) {
        if (h.items < 0 || h.finishedAt > 0 || h.done + h.failed + h.cancelled < h.items) {
            return;
        }
        h.finishedAt = now;
        if (h.state == BatchState.RUNNING || h.state == BatchState.ACCEPTING) {
            h.state = BatchState.FINISHED;
        }
        if (h.spec.callbackUrl() != null) {
            callbacksDue.put(h.id, now);
            h.callbackState = "pending";
        }
    }

    /** Drops batches past their retention; returns the time now. Lock held. */
    private long expire() {
        long now = clock.millis();
        Iterator<Held> it = batches.values().iterator();
        while (it.hasNext()) {
            Held h = it.next();
            if (h.expiresAt <= now) {
                it.remove();
                idempotency.values().remove(h.id);
                callbacksDue.remove(h.id);
            }
        }
        return now;
    }

    private static Batch view(Held h) {
        return new Batch(h.id, h.state, h.items, h.done, h.failed, h.cancelled, h.spec.fingerprint(), h.spec.topK(),
                h.spec.minScore(), h.spec.callbackUrl(), h.callbackState, h.createdAt, h.intakeAt, h.intakes,
                h.finishedAt, new DecayingRate.Snapshot(h.rate, h.rateAt, h.firstAt), h.spec.deadlineAt());
    }
}
