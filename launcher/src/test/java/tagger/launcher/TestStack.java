package tagger.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.ApiServerMain;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;
import tagger.worker.WorkerMain;

/** Starts api-servers and workers in the test JVM with the production wiring, in one test namespace. */
final class TestStack {
    private TestStack() {
    }

    static Map<String, String> env(TestNamespace ns, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("TAGGER_NAMESPACE", ns.names().namespace());
        env.put("TAGGER_RABBITMQ_URI", ns.rabbitUri().toString());
        env.put("TAGGER_REDIS_URI", ns.redisUri().toString());
        env.putAll(extra);
        return env;
    }

    /** A ready api-server on a free port of 127.0.0.1 that may fetch from the local test origin. */
    static ApiServer api(TestNamespace ns, Map<String, String> extra) {
        ApiServer api = unreadyApi(ns, extra);
        awaitReady("http://127.0.0.1:" + api.port() + "/readyz");
        return api;
    }

    /** Like {@link #api} without waiting until it reaches RabbitMQ and Redis. */
    static ApiServer unreadyApi(TestNamespace ns, Map<String, String> extra) {
        Map<String, String> env = env(ns, Map.of("TAGGER_HTTP_HOST", "127.0.0.1", "TAGGER_HTTP_PORT", "0",
                "TAGGER_ALLOW_PRIVATE_NETWORKS", "true"));
        env.putAll(extra);
        return ApiServerMain.start(ApiConfig.fromEnv(env));
    }

    static void awaitReady(String readyUrl) {
        long until = System.currentTimeMillis() + 20_000;
        while (Http.get(readyUrl).status() != 200) {
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException("not ready after 20 s: " + readyUrl + " " + Http.get(readyUrl).raw().body());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Polls {@code condition} every 50 ms until it holds, failing after {@code within}. */
    static void awaitTrue(String what, java.time.Duration within, java.util.function.BooleanSupplier condition) {
        long until = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + within.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static WorkerConfig workerConfig(TestNamespace ns, Path modelDir, Map<String, String> extra) {
        Map<String, String> env = env(ns, Map.of("TAGGER_MODEL_DIR", modelDir.toString(),
                "TAGGER_ADMIN_HOST", "127.0.0.1", "TAGGER_ADMIN_PORT", "0", "TAGGER_DEVICE", "cpu"));
        env.putAll(extra);
        return WorkerConfig.fromEnv(env);
    }

    /** A worker in this JVM with the production wiring, ready (consuming) when returned. */
    static Worker worker(TestNamespace ns, Path modelDir, Map<String, String> extra) {
        Worker worker = WorkerMain.start(workerConfig(ns, modelDir, extra));
        awaitReady("http://127.0.0.1:" + worker.adminPort() + "/readyz");
        return worker;
    }

    static String tagsUrl(ApiServer api) {
        return "http://127.0.0.1:" + api.port() + "/v1/tags";
    }

    static String metricsUrl(ApiServer api) {
        return "http://127.0.0.1:" + api.port() + "/metrics";
    }

    static String metricsUrl(Worker worker) {
        return "http://127.0.0.1:" + worker.adminPort() + "/metrics";
    }
}
