package tagger.loadtest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import tagger.api.ApiConfig;
import tagger.api.ApiServer;
import tagger.api.ApiServerMain;
import tagger.models.DemoModel;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;
import tagger.worker.WorkerMain;

/**
 * The real pipeline in the test JVM with the production wiring (api-server and one worker with the
 * demo model, through the local RabbitMQ and Redis) in a random namespace, allowed to fetch from
 * the load test's origin on 127.0.0.1.
 */
final class InProcessStack implements AutoCloseable {
    final TestNamespace ns;
    final Worker worker;
    final ApiServer api;

    private InProcessStack(TestNamespace ns, Worker worker, ApiServer api) {
        this.ns = ns;
        this.worker = worker;
        this.api = api;
    }

    static InProcessStack start(Path tmp) throws Exception {
        TestNamespace ns = TestNamespace.random();
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        Map<String, String> env = new HashMap<>();
        env.put("TAGGER_NAMESPACE", ns.names().namespace());
        env.put("TAGGER_RABBITMQ_URI", ns.rabbitUri().toString());
        env.put("TAGGER_REDIS_URI", ns.redisUri().toString());
        Map<String, String> w = new HashMap<>(env);
        w.putAll(Map.of("TAGGER_MODEL_DIR", model.toString(), "TAGGER_ADMIN_HOST", "127.0.0.1", "TAGGER_ADMIN_PORT", "0",
                "TAGGER_DEVICE", "cpu"));
        Worker worker = WorkerMain.start(WorkerConfig.fromEnv(w));
        Map<String, String> a = new HashMap<>(env);
        a.putAll(Map.of("TAGGER_HTTP_HOST", "127.0.0.1", "TAGGER_HTTP_PORT", "0", "TAGGER_ALLOW_PRIVATE_NETWORKS", "true"));
        ApiServer api = ApiServerMain.start(ApiConfig.fromEnv(a));
        InProcessStack stack = new InProcessStack(ns, worker, api);
        stack.awaitReady("http://127.0.0.1:" + worker.adminPort() + "/readyz");
        stack.awaitReady(stack.url() + "/readyz");
        return stack;
    }

    String url() {
        return "http://127.0.0.1:" + api.port();
    }

    String workerMetrics() {
        return "http://127.0.0.1:" + worker.adminPort() + "/metrics";
    }

    private void awaitReady(String url) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            try {
                if (client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not yet
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("not ready after 30 s: " + url);
    }

    @Override
    public void close() {
        api.close();
        worker.close();
        ns.close();
    }
}
