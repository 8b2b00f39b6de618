package tagger.api.fakes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tagger.common.TagResult;
import tagger.transport.ResultFeed;

/** A result feed whose stored results the test writes and whose read-backs it can inspect. */
public final class FakeResultFeed implements ResultFeed {
    private final Map<String, TagResult> stored = new ConcurrentHashMap<>();
    private final List<List<String>> fetches = new ArrayList<>();
    private volatile RuntimeException fetchFailure;
    private volatile Listener listener;
    private volatile String instanceId;
    private volatile boolean ready = true;
    private volatile boolean closed;

    /** Puts a result in the "store" without announcing it (a lost notification). */
    public void store(TagResult result) {
        stored.put(result.requestId(), result);
    }

    /** Every fetch made so far, each as the list of ids asked for. */
    public synchronized List<List<String>> fetches() {
        return List.copyOf(fetches);
    }

    /** Makes every later fetch throw {@code e} (null: succeed again). */
    public void failFetchesWith(RuntimeException e) {
        this.fetchFailure = e;
    }

    public void setReady(boolean ready) {
        this.ready = ready;
    }

    public Listener listener() {
        return listener;
    }

    public String instanceId() {
        return instanceId;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void subscribe(String instanceId, Listener listener) {
        this.instanceId = instanceId;
        this.listener = listener;
    }

    @Override
    public Map<String, TagResult> fetch(Collection<String> requestIds) {
        synchronized (this) {
            fetches.add(List.copyOf(requestIds));
        }
        RuntimeException failure = fetchFailure;
        if (failure != null) {
            throw failure;
        }
        Map<String, TagResult> found = new LinkedHashMap<>();
        for (String id : requestIds) {
            TagResult r = stored.get(id);
            if (r != null) {
                found.put(id, r);
            }
        }
        return found;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void close() {
        closed = true;
    }
}
