package tagger.transport;

import java.util.List;
import tagger.common.TagResult;

/** Where workers put results: first writer wins, then the waiting api-server is notified. */
public interface ResultStore extends AutoCloseable {

    /** A result and the api-server instance waiting for it (null when nobody waits). */
    record Completion(TagResult result, String replyTo) {
    }

    /**
     * Stores each result unless one is already stored under its request id, then notifies its
     * waiter with the stored (winning) result. Returns how many were stored by this call.
     *
     * @throws StoreUnavailableException when the store cannot be reached; nothing may be acked then
     */
    int complete(List<Completion> completions);

    boolean isReady();

    @Override
    void close();
}
