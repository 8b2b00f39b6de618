package tagger.api.bulk;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-host download slots: at most {@code perHost} bulk downloads from one host at a time (a
 * migration hits one storage origin hard; this is the politeness cap). Host names are compared
 * lower-case, ports ignored: two ports of one machine are one origin to be polite to.
 */
final class HostLimits {
    private final int perHost;
    private final Map<String, Integer> inFlight = new HashMap<>(); // guarded by this

    HostLimits(int perHost) {
        this.perHost = perHost;
    }

    synchronized boolean tryAcquire(String host) {
        int n = inFlight.getOrDefault(host, 0);
        if (n >= perHost) {
            return false;
        }
        inFlight.put(host, n + 1);
        return true;
    }

    synchronized void release(String host) {
        int n = inFlight.getOrDefault(host, 0);
        if (n <= 1) {
            inFlight.remove(host);
        } else {
            inFlight.put(host, n - 1);
        }
    }

    /** Hosts with a download running. */
    synchronized int activeHosts() {
        return inFlight.size();
    }

    /** The most downloads running against one host. */
    synchronized int busiest() {
        return inFlight.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
