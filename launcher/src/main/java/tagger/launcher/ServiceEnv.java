package tagger.launcher;

import java.util.HashMap;
import java.util.Map;
import tagger.fixtures.ScratchNamespace;

/**
 * The variables the launcher sets for the services it starts (everything else comes from the caller's
 * environment and the services' own defaults, read by {@link tagger.common.Settings}).
 */
public final class ServiceEnv {
    /** The demo's and the benchmarks' image origin is on 127.0.0.1, which the SSRF guard refuses unless told. */
    public static final Map<String, String> PRIVATE_ORIGINS = Map.of("TAGGER_ALLOW_PRIVATE_NETWORKS", "true");

    private ServiceEnv() {
    }

    /** Listeners on 127.0.0.1: HTTP on {@code httpPort} (0: a free one), the worker's admin on a free port. */
    public static Map<String, String> loopback(int httpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("TAGGER_HTTP_HOST", "127.0.0.1");
        env.put("TAGGER_HTTP_PORT", Integer.toString(httpPort));
        env.put("TAGGER_ADMIN_HOST", "127.0.0.1");
        env.put("TAGGER_ADMIN_PORT", "0");
        return env;
    }

    /** The namespace and the broker and Redis of a scratch namespace. */
    public static Map<String, String> services(ScratchNamespace ns) {
        Map<String, String> env = new HashMap<>();
        env.put("TAGGER_NAMESPACE", ns.names().namespace());
        env.put("TAGGER_RABBITMQ_URI", ns.rabbitUri().toString());
        env.put("TAGGER_REDIS_URI", ns.redisUri().toString());
        return env;
    }
}
