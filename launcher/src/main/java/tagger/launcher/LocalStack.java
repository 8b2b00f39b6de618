package tagger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distributed stack on this machine: one api-server process and N worker processes, talking
 * through the local RabbitMQ and Redis.
 */
final class LocalStack implements Stack {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final ChildProcess api;
    private final List<ChildProcess> workers;
    private final int port;
    private final String namespace;

    private LocalStack(ChildProcess api, List<ChildProcess> workers, int port, String namespace) {
        this.api = api;
        this.workers = workers;
        this.port = port;
        this.namespace = namespace;
    }

    /**
     * Starts the processes and waits until each is ready.
     *
     * @param env settings passed to every process on top of the defaults (e.g. TAGGER_ALLOW_PRIVATE_NETWORKS)
     */
    static LocalStack start(int workerCount, Path modelDir, int port, String namespace, Map<String, String> env) {
        int apiPort = port == 0 ? freePort() : port;
        Path logs = Home.logs();
        List<ChildProcess> started = new ArrayList<>();
        try {
            for (int i = 1; i <= workerCount; i++) {
                int admin = freePort();
                Map<String, String> w = new HashMap<>(env);
                w.put("TAGGER_NAMESPACE", namespace);
                w.put("TAGGER_MODEL_DIR", modelDir.toString());
                w.put("TAGGER_WORKER_ID", namespace + "-worker-" + i);
                w.put("TAGGER_ADMIN_HOST", "127.0.0.1");
                w.put("TAGGER_ADMIN_PORT", Integer.toString(admin));
                started.add(ChildProcess.start(namespace + "-worker-" + i, "tagger.worker.WorkerMain", w, logs,
                        "http://127.0.0.1:" + admin + "/readyz"));
            }
            Map<String, String> a = new HashMap<>(env);
            a.put("TAGGER_NAMESPACE", namespace);
            a.put("TAGGER_INSTANCE_ID", namespace + "-api-1");
            a.put("TAGGER_HTTP_HOST", "127.0.0.1");
            a.put("TAGGER_HTTP_PORT", Integer.toString(apiPort));
            ChildProcess api = ChildProcess.start(namespace + "-api-1", "tagger.api.ApiServerMain", a, logs,
                    "http://127.0.0.1:" + apiPort + "/readyz");
            started.add(api);
            for (ChildProcess p : started) {
                p.awaitReady(READY_TIMEOUT);
            }
            return new LocalStack(api, List.copyOf(started.subList(0, workerCount)), apiPort, namespace);
        } catch (RuntimeException e) {
            started.forEach(ChildProcess::close);
            throw e;
        }
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String describe() {
        return "distributed: api-server pid " + api.pid() + " + " + workers.size() + " worker process(es) "
                + "via RabbitMQ and Redis, namespace '" + namespace + "', logs in " + Home.logs();
    }

    List<ChildProcess> workers() {
        return workers;
    }

    @Override
    public void close() {
        api.close();
        workers.forEach(ChildProcess::close);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
