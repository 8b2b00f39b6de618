package tagger.transport;

import java.util.Locale;

/** Where a bulk batch stands; {@link #key()} is what the status endpoint and Redis show. */
public enum BatchState {
    /** The intake is still queueing its items. */
    ACCEPTING,
    /** Every item is queued; outcomes are coming in. */
    RUNNING,
    /** Cancelled by its client: remaining items end as {@code cancelled} without being downloaded or tagged. */
    CANCELLED,
    /** Every item has its outcome. */
    FINISHED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BatchState fromKey(String key) {
        for (BatchState s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("batch state must be one of accepting, running, cancelled, finished, got '"
                + key + "'");
    }
}
