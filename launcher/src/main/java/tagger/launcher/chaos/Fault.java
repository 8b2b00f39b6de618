package tagger.launcher.chaos;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The faults the suite injects, each in its own experiment. */
enum Fault {
    WORKER_KILL("worker-kill", "kill -9 one worker under load"),
    BROKER_OUTAGE("broker-outage", "broker unreachable (connections refused and cut), then back"),
    REDIS_RESTART("redis-restart", "Redis stopped, restarted with its data (AOF everysec)"),
    REDIS_LOST("redis-lost", "Redis stopped, restarted WITHOUT its data (a batch was running)"),
    HANGING_HOST("hanging-host", "3 URLs in 4 on an origin host that accepts and never answers"),
    UPLOAD_FLOOD("upload-flood", "a flood of raw uploads declaring more than the size cap"),
    BULK_WORKER_KILL("bulk-worker-kill", "bulk batch, kill -9 one worker midway");

    final String key;
    final String description;

    Fault(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The service goes away and comes back: its 503s must be fast and its recovery short. */
    boolean isOutage() {
        return this == BROKER_OUTAGE || this == REDIS_RESTART || this == REDIS_LOST;
    }

    /** {@code all}, or a comma-separated list of keys. */
    static List<Fault> parse(String text) {
        if (text == null || text.isBlank() || text.strip().equals("all")) {
            return List.of(values());
        }
        return Arrays.stream(text.split(",")).map(String::strip).map(Fault::byKey).toList();
    }

    static Fault byKey(String key) {
        for (Fault f : values()) {
            if (f.key.equals(key.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("--faults: unknown fault '" + key + "'; known: "
                + Arrays.stream(values()).map(f -> f.key).collect(Collectors.joining(", ")) + " (or all)");
    }
}
