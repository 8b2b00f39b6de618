package tagger.api.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tagger.transport.CacheReader;
import tagger.transport.StoreUnavailableException;

/** Result cache entries held in a map; records every read, and can be made unreachable. */
public final class FakeCacheReader implements CacheReader {
    private final Map<String, String> entries = new ConcurrentHashMap<>();
    private final List<List<String>> reads = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    public void put(String key, String json) {
        entries.put(key, json);
    }

    public void setDown(boolean down) {
        this.down = down;
    }

    /** The keys of every read, in order. */
    public List<List<String>> reads() {
        return List.copyOf(reads);
    }

    @Override
    public List<String> read(List<String> keys) {
        reads.add(List.copyOf(keys));
        if (down) {
            throw new StoreUnavailableException("cache is down (test)", null);
        }
        List<String> values = new ArrayList<>(keys.size());
        keys.forEach(k -> values.add(entries.get(k)));
        return values;
    }

    @Override
    public void close() {
    }
}
