package tagger.worker.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tagger.transport.ResultStore;
import tagger.transport.StoreUnavailableException;
import tagger.transport.memory.InMemoryBatchStore;
import tagger.transport.memory.InMemoryResultStore;

/**
 * The in-memory result store behind a recorder: every completion the worker attempts is logged, and
 * the next {@link #failNext(int)} attempts fail as an unreachable Redis would.
 */
final class RecordingStore implements ResultStore {
    final InMemoryBatchStore batches = new InMemoryBatchStore();
    final InMemoryResultStore store = new InMemoryResultStore(InMemoryResultStore.DEFAULT_TTL,
            java.time.Clock.systemUTC(), batches);
    private final List<Completion> attempted = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    void failNext(int attempts) {
        failuresLeft.set(attempts);
    }

    /** Completions passed to {@link #complete}, stored or not. */
    List<Completion> attempted() {
        return List.copyOf(attempted);
    }

    long attemptsFor(String requestId) {
        return attempted.stream().filter(c -> c.result().requestId().equals(requestId)).count();
    }

    @Override
    public int complete(List<Completion> completions) {
        return (int) completeEach(completions).stream().filter(Boolean::booleanValue).count();
    }

    @Override
    public List<Boolean> completeEach(List<Completion> completions) {
        attempted.addAll(completions);
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreUnavailableException("connection refused (test)", null);
        }
        return store.completeEach(completions);
    }

    @Override
    public java.util.Set<String> cancelledBatches(java.util.Collection<String> batchIds) {
        return store.cancelledBatches(batchIds);
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void close() {
        store.close();
    }
}
