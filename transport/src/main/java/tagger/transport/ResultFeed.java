package tagger.transport;

import java.util.Collection;
import java.util.Map;
import tagger.common.TagResult;

/**
 * How an api-server instance hears about results. Notifications are at-most-once, so callers
 * also {@link #fetch} stored results after every (re)subscribe and when a wait times out.
 */
public interface ResultFeed extends AutoCloseable {

    /** Receives notifications; called on the feed's own thread, must return quickly. */
    interface Listener {
        void onResult(TagResult result);

        /** Called after every successful (re)subscription: notifications may have been missed before. */
        void onSubscribed();
    }

    /** Starts listening for results addressed to {@code instanceId}, reconnecting as needed. */
    void subscribe(String instanceId, Listener listener);

    /** Reads the stored results of the given requests; ids without a result are absent from the map. */
    Map<String, TagResult> fetch(Collection<String> requestIds);

    boolean isReady();

    @Override
    void close();
}
