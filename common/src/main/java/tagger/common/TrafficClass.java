package tagger.common;

import java.util.Locale;

/** Which queue a job travels through: real-time callers and bulk migrations never share a FIFO. */
public enum TrafficClass {
    REALTIME,
    BULK;

    /** The AMQP routing key and the lower-case name used in headers, metrics and queue names. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()}; unknown values are an error naming the value. */
    public static TrafficClass fromKey(String key) {
        for (TrafficClass c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("traffic class must be 'realtime' or 'bulk', got '" + key + "'");
    }
}
