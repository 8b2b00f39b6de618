package tagger.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code TAGGER_*} environment settings for a service's config record, collecting every
 * problem (rule + bad value) so that startup reports them all at once. Environment variable names
 * are an interface operators script against, which is why this lives beside the wire contract.
 */
public final class Settings {
    /** About one second of the reference peak (6 250 img/s); see docs/deploy.md for sizing it. */
    public static final int DEFAULT_REALTIME_MAX_LENGTH = 5_000;
    private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss", ServiceUri.REDIS_SENTINEL);

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public Settings(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public String string(String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public boolean bool(String name, boolean fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")) {
            return true;
        }
        if (v.equalsIgnoreCase("false") || v.equals("0") || v.equalsIgnoreCase("no")) {
            return false;
        }
        problems.add(name + " must be true or false, got '" + v + "'");
        return fallback;
    }

    public int integer(String name, int fallback, int min, int max) {
        return (int) longValue(name, fallback, min, max);
    }

    public long longValue(String name, long fallback, long min, long max) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(v.replace("_", ""));
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + parsed);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be an integer between " + min + " and " + max + ", got '" + v + "'");
            return fallback;
        }
    }

    public double decimal(String name, double fallback, double min, double max) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(v);
            if (!(parsed >= min && parsed <= max)) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + v);
                return fallback;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a number between " + min + " and " + max + ", got '" + v + "'");
            return fallback;
        }
    }

    /** A duration given in milliseconds. */
    public Duration millis(String name, long fallbackMs, long minMs, long maxMs) {
        return Duration.ofMillis(longValue(name, fallbackMs, minMs, maxMs));
    }

    public URI uri(String name, String fallback, Set<String> schemes) {
        String v = string(name, fallback);
        try {
            URI uri = new URI(v);
            if (uri.getScheme() != null && schemes.contains(uri.getScheme()) && uri.getHost() == null
                    && uri.getRawAuthority() != null && uri.getRawAuthority().contains(",")) {
                return hostList(name, v, uri, fallback);
            }
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                // sorted: a Set.of's iteration order changes from one JVM run to the next
                problems.add(name + " must be a URI with scheme " + String.join(" or ", new TreeSet<>(schemes))
                        + " and a host, got '" + v + "'");
                return URI.create(fallback);
            }
            return sentinelMaster(name, v, uri, fallback);
        } catch (URISyntaxException e) {
            problems.add(name + " must be a URI, got '" + v + "' (" + e.getReason() + ")");
            return URI.create(fallback);
        }
    }

    /** A URI naming several nodes ({@code host:port,host:port}): each must be host[:port]. */
    private URI hostList(String name, String v, URI uri, String fallback) {
        try {
            ServiceUri.hosts(uri, 1);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage() + ", in '" + v + "'");
            return URI.create(fallback);
        }
        return sentinelMaster(name, v, uri, fallback);
    }

    /** A {@code redis-sentinel://} URI must name the master the sentinels watch. */
    private URI sentinelMaster(String name, String v, URI uri, String fallback) {
        if (ServiceUri.REDIS_SENTINEL.equals(uri.getScheme()) && ServiceUri.query(uri, "master") == null) {
            problems.add(name + " with scheme " + ServiceUri.REDIS_SENTINEL
                    + " must name the master, as in ?master=mymaster, got '" + v + "'");
            return URI.create(fallback);
        }
        return uri;
    }

    /** One of {@code allowed} (case-insensitive), returned in the allowed spelling. */
    public String choice(String name, String fallback, List<String> allowed) {
        String v = string(name, fallback);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        problems.add(name + " must be one of " + allowed + ", got '" + v + "'");
        return fallback;
    }

    /** {@code TAGGER_NAMESPACE}: the prefix of every shared resource (default {@code tagger}). */
    public Names names() {
        String v = string("TAGGER_NAMESPACE", Names.DEFAULT_NAMESPACE);
        try {
            return new Names(v);
        } catch (IllegalArgumentException e) {
            problems.add("TAGGER_NAMESPACE " + e.getMessage().replace("namespace ", ""));
            return new Names(Names.DEFAULT_NAMESPACE);
        }
    }

    /**
     * {@code TAGGER_RABBITMQ_URI}, default the local broker with the guest account. A cluster is
     * named node by node: {@code amqp://user:pass@node1:5672,node2:5672,node3:5672/vhost}.
     */
    public URI rabbitUri() {
        return uri("TAGGER_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672", Set.of("amqp", "amqps"));
    }

    /**
     * {@code TAGGER_REDIS_URI}, default the local Redis. A master found through Sentinel:
     * {@code redis-sentinel://[:password@]s1:26379,s2:26379[/db]?master=mymaster}.
     */
    public URI redisUri() {
        return uri("TAGGER_REDIS_URI", "redis://127.0.0.1:6379", REDIS_SCHEMES);
    }

    /**
     * {@code TAGGER_CACHE_REDIS_URI}: the Redis holding the result cache; by default the result
     * store's ({@code TAGGER_REDIS_URI}). At scale give the cache its own, with {@code allkeys-lru}.
     */
    public URI cacheRedisUri() {
        String results = string("TAGGER_REDIS_URI", "redis://127.0.0.1:6379");
        if (string("TAGGER_CACHE_REDIS_URI", null) == null) {
            // the result store's: checked, and reported when bad, as TAGGER_REDIS_URI
            try {
                return new URI(results);
            } catch (URISyntaxException e) {
                return URI.create("redis://127.0.0.1:6379");
            }
        }
        return uri("TAGGER_CACHE_REDIS_URI", results, REDIS_SCHEMES);
    }

    /**
     * {@code TAGGER_REALTIME_MAX_LENGTH}: ready real-time jobs the broker holds before it refuses more
     * (the api-server answers 429); 0 = unbounded. Every service declares the queue, so every service
     * must be given the same value. Bulk is never bounded here: bulk intake is throttled, not refused.
     */
    public Map<TrafficClass, Integer> queueMaxLengths() {
        int realtime = integer("TAGGER_REALTIME_MAX_LENGTH", DEFAULT_REALTIME_MAX_LENGTH, 0, 10_000_000);
        return realtime == 0 ? Map.of() : Map.of(TrafficClass.REALTIME, realtime);
    }

    /**
     * A default id for this process: {@code prefix-pid-host-random}. The random part makes sure a
     * restarted process never inherits its predecessor's identity (and its notifications).
     */
    public static String processId(String prefix) {
        String runtime = java.lang.management.ManagementFactory.getRuntimeMXBean().getName()
                .replaceAll("[^A-Za-z0-9._-]", "-");
        return prefix + "-" + runtime + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** Records a problem found by the config record's own cross-field checks. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws with every problem listed, one per line, when there is any. */
    public void throwIfInvalid(String what) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
    }
}
