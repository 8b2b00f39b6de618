package tagger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tagger.common.Settings;

/**
 * The distributed stack on this machine: M api-server processes (behind HAProxy when M > 1) and N
 * worker processes, talking through the local RabbitMQ and Redis. The number of workers can change
 * while it runs ({@link #scaleWorkers}); nothing else is restarted.
 */
public final class LocalStack implements Stack {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * What to run.
     *
     * @param port the port callers use: HAProxy's when apiServers > 1, else the api-server's (0 = any free one)
     * @param env  settings passed to every process on top of the defaults (e.g. TAGGER_ALLOW_PRIVATE_NETWORKS)
     */
    public record Plan(int apiServers, int workers, Path modelDir, int port, String namespace, Map<String, String> env) {
    }

    /** What a scaling call did. */
    public record Scaled(int before, int after, List<String> started, List<String> stopped) {
    }

    private final Plan plan;
    private final Path logs;
    private final List<ChildProcess> apis;
    private Haproxy balancer; // set once, while starting
    private final int port;
    private final List<ChildProcess> workers = new ArrayList<>();
    private int workersStarted;

    private LocalStack(Plan plan, Path logs, List<ChildProcess> apis, int port) {
        this.plan = plan;
        this.logs = logs;
        this.apis = apis;
        this.port = port;
    }

    /** One api-server, no load balancer (the demo, the tests and {@code bench stack}). */
    public static LocalStack start(int workerCount, Path modelDir, int port, String namespace, Map<String, String> env) {
        return start(new Plan(1, workerCount, modelDir, port, namespace, env), Home.logs(), System.out);
    }

    /**
     * Declares the queues (re-creating empty ones an older version left with other arguments), starts
     * the processes and waits until each is ready.
     *
     * @throws IllegalStateException when HAProxy is needed but missing, or a process does not come up
     */
    public static LocalStack start(Plan plan, Path logs, java.io.PrintStream console) {
        if (plan.apiServers() > 1 && Haproxy.binary().isEmpty()) {
            throw new IllegalStateException(Haproxy.missingMessage(plan.apiServers()));
        }
        Map<String, String> effective = new HashMap<>(System.getenv());
        effective.putAll(plan.env());
        Settings settings = new Settings(effective);
        QueueSetup.ensure(settings.rabbitUri(), new tagger.common.Names(plan.namespace()), settings.queueMaxLengths(),
                console);

        int front = plan.port() == 0 ? freePort() : plan.port();
        List<ChildProcess> apis = new ArrayList<>();
        LocalStack stack = new LocalStack(plan, logs, apis, front);
        try {
            List<HaproxyConfig.Server> servers = new ArrayList<>();
            for (int i = 1; i <= plan.apiServers(); i++) {
                int apiPort = plan.apiServers() == 1 ? front : freePort();
                String name = plan.namespace() + "-api-" + i;
                Map<String, String> a = new HashMap<>(plan.env());
                a.put("TAGGER_NAMESPACE", plan.namespace());
                a.put("TAGGER_INSTANCE_ID", name);
                a.put("TAGGER_HTTP_HOST", "127.0.0.1");
                a.put("TAGGER_HTTP_PORT", Integer.toString(apiPort));
                apis.add(ChildProcess.start(name, "tagger.api.ApiServerMain", a, logs,
                        "http://127.0.0.1:" + apiPort + "/readyz"));
                servers.add(new HaproxyConfig.Server(name, "127.0.0.1:" + apiPort));
            }
            stack.startWorkers(plan.workers(), false);
            for (ChildProcess a : apis) {
                a.awaitReady(READY_TIMEOUT);
            }
            stack.awaitWorkers();
            if (plan.apiServers() > 1) {
                int statsPort = freePort();
                Haproxy lb = Haproxy.start(HaproxyConfig.local("leastconn", front, statsPort, servers, "1s"),
                        statsPort, logs, logs, plan.namespace() + "-haproxy");
                synchronized (stack) {
                    stack.balancer = lb;
                }
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private synchronized List<ChildProcess> startWorkers(int count, boolean await) {
        List<ChildProcess> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = ++workersStarted; // ids are never reused, so a leaving worker's presence never collides
            int admin = freePort();
            String name = plan.namespace() + "-worker-" + n;
            Map<String, String> w = new HashMap<>(plan.env());
            w.put("TAGGER_NAMESPACE", plan.namespace());
            w.put("TAGGER_MODEL_DIR", plan.modelDir().toString());
            w.put("TAGGER_WORKER_ID", name);
            w.put("TAGGER_ADMIN_HOST", "127.0.0.1");
            w.put("TAGGER_ADMIN_PORT", Integer.toString(admin));
            ChildProcess p = ChildProcess.start(name, "tagger.worker.WorkerMain", w, logs,
                    "http://127.0.0.1:" + admin + "/readyz");
            workers.add(p);
            started.add(p);
        }
        if (await) {
            for (ChildProcess p : started) {
                p.awaitReady(READY_TIMEOUT);
            }
        }
        return started;
    }

    private void awaitWorkers() {
        for (ChildProcess p : workers) {
            p.awaitReady(READY_TIMEOUT);
        }
    }

    /**
     * Changes the number of worker processes to {@code count}: starts new ones (returning once they
     * consume), or stops the newest ones gracefully (SIGTERM: each finishes its in-flight jobs within
     * its grace period and hands back the rest, see {@code Worker.close()}). Nothing else restarts.
     */
    public synchronized Scaled scaleWorkers(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("worker count must be >= 0, got " + count);
        }
        int before = workers.size();
        List<String> started = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        if (count > before) {
            startWorkers(count - before, true).forEach(p -> started.add(p.name()));
        } else if (count < before) {
            List<ChildProcess> leaving = new ArrayList<>(workers.subList(count, before));
            // stop them in parallel: each may take its grace period to finish in-flight jobs
            CompletableFuture.allOf(leaving.stream()
                    .map(p -> CompletableFuture.runAsync(p::close)).toArray(CompletableFuture[]::new)).join();
            workers.removeAll(leaving);
            leaving.forEach(p -> stopped.add(p.name()));
        }
        return new Scaled(before, workers.size(), started, stopped);
    }

    /**
     * Kills the oldest worker at once (SIGKILL), as a crash would: its unacknowledged jobs go back to the
     * queue. Returns its name; the worker count drops by one ({@link #scaleWorkers} starts a new one).
     *
     * @throws IllegalStateException when no worker runs
     */
    public synchronized String killWorker() {
        if (workers.isEmpty()) {
            throw new IllegalStateException("no worker to kill");
        }
        ChildProcess victim = workers.remove(0);
        victim.kill();
        return victim.name();
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public synchronized String describe() {
        String front = balancer == null ? "api-server pid " + apis.get(0).pid()
                : apis.size() + " api-servers behind HAProxy (leastconn, pid " + balancer.pid() + ")";
        return "distributed: " + front + " + " + workers.size() + " worker process(es) via RabbitMQ and Redis, "
                + "namespace '" + plan.namespace() + "', logs in " + logs;
    }

    /** What runs now, for the control channel and {@code stack.json}. */
    synchronized Map<String, Object> processes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url());
        m.put("namespace", plan.namespace());
        m.put("apiServers", apis.stream().map(p -> Map.of("name", p.name(), "pid", p.pid())).toList());
        m.put("workers", workers.stream().map(p -> Map.of("name", p.name(), "pid", p.pid())).toList());
        if (balancer != null) {
            m.put("haproxyStats", balancer.statsUrl());
        }
        return m;
    }

    /** Process ids of the api-servers and workers now running (what {@code bench stack} measures). */
    public synchronized Map<String, Long> pids() {
        Map<String, Long> m = new LinkedHashMap<>();
        apis.forEach(p -> m.put(p.name(), p.pid()));
        workers.forEach(p -> m.put(p.name(), p.pid()));
        return m;
    }

    synchronized List<ChildProcess> workers() {
        return List.copyOf(workers);
    }

    List<ChildProcess> apiServers() {
        return apis;
    }

    /** The load balancer, or null with a single api-server. */
    synchronized Haproxy balancer() {
        return balancer;
    }

    @Override
    public void close() {
        Haproxy lb = balancer();
        if (lb != null) {
            lb.close();
        }
        apis.forEach(ChildProcess::close);
        scaleWorkers(0);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
