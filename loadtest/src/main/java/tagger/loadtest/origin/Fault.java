package tagger.loadtest.origin;

import java.util.Locale;

/**
 * What the origin does with one request: wait {@code latencyMillis}, then answer normally or
 * misbehave. Chosen by the generator and written into the URL, so the origin is stateless and every
 * request's fault is on record.
 */
public record Fault(long latencyMillis, Kind kind, long dripMillis) {

    /** The misbehaviours, as written in the {@code fault} query parameter. */
    public enum Kind {
        NONE("none"),
        NOT_FOUND("404"),
        SERVER_ERROR("500"),
        /** 429 with {@code Retry-After: 1}. */
        THROTTLED("429"),
        /** Headers promise the whole image; the connection closes after half of it. */
        TRUNCATE("truncate"),
        /** The whole image, a few bytes at a time over {@code dripMillis}. */
        DRIP("drip");

        private final String token;

        Kind(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        public static Kind parse(String token) {
            String t = token.trim().toLowerCase(Locale.ROOT);
            for (Kind k : values()) {
                if (k.token.equals(t)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("fault must be one of 404, 500, 429, truncate, drip, got '" + token + "'");
        }
    }

    public static final Fault NONE = new Fault(0, Kind.NONE, 0);

    /** The query string that asks the origin for this fault ("" when there is nothing to ask). */
    public String query() {
        StringBuilder q = new StringBuilder();
        if (latencyMillis > 0) {
            q.append("lat=").append(latencyMillis);
        }
        if (kind != Kind.NONE) {
            q.append(q.length() == 0 ? "" : "&").append("fault=").append(kind.token());
        }
        if (kind == Kind.DRIP) {
            q.append("&drip=").append(dripMillis);
        }
        return q.toString();
    }

    /** Reads the query parameters back (null parameters mean "not given"). */
    static Fault fromQuery(String lat, String fault, String drip) {
        long latency = lat == null ? 0 : parseMillis("lat", lat);
        Kind kind = fault == null ? Kind.NONE : Kind.parse(fault);
        long dripMs = drip == null ? 1_000 : parseMillis("drip", drip);
        return new Fault(latency, kind, dripMs);
    }

    private static long parseMillis(String name, String value) {
        try {
            long v = Long.parseLong(value);
            if (v >= 0 && v <= LatencyModel.MAX_MILLIS) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be milliseconds between 0 and " + LatencyModel.MAX_MILLIS
                + ", got '" + value + "'");
    }
}
