package tagger.transport;

import java.util.List;

/**
 * Reads result cache entries (written by the workers with their results, see
 * {@link ResultStore.CacheEntry}).
 */
public interface CacheReader extends AutoCloseable {

    /**
     * The JSON stored under each key, in order, null where there is none.
     *
     * @throws StoreUnavailableException when the cache cannot be reached
     */
    List<String> read(List<String> keys);

    @Override
    void close();
}
