package tagger.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tagger.common.Settings;

/** {@code ./tagger up}: the stack in the foreground until Ctrl-C. */
@Command(name = "up", description = "Run the stack in the foreground until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--workers", defaultValue = "1", description = "Worker processes (default: ${DEFAULT-VALUE}); change later with ./tagger scale workers N.")
    int workers;

    @Option(names = "--api", defaultValue = "1",
            description = "Api-server processes (default: ${DEFAULT-VALUE}); more than one run behind HAProxy (leastconn) on --port.")
    int apiServers;

    @Option(names = "--model-dir", description = "Model directory (model.json + .onnx + labels); default: the demo model.")
    Path modelDir;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the api-server (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--embedded", description = "One process with an in-memory queue and result store.")
    boolean embedded;

    @Option(names = "--allow-private-networks",
            description = "Let the api-server fetch URLs on loopback/private addresses (local testing only).")
    boolean allowPrivate;

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            System.err.println("--workers must be >= 1, got " + workers);
            return 2;
        }
        if (apiServers < 1 || apiServers > 16) {
            System.err.println("--api must be between 1 and 16, got " + apiServers);
            return 2;
        }
        boolean servicesMissing = "missing".equals(System.getenv("TAGGER_SERVICES"));
        Path model = modelDir != null ? modelDir.toAbsolutePath() : Home.demoModel();
        // TAGGER_NAMESPACE lets two stacks share one broker and one Redis (README "Configuration")
        Settings settings = new Settings(System.getenv());
        String namespace = settings.names().namespace();
        if (!settings.problems().isEmpty()) {
            System.err.println(String.join("\n", settings.problems()));
            return 2;
        }
        Map<String, String> env = new HashMap<>();
        if (allowPrivate) {
            env.putAll(ServiceEnv.PRIVATE_ORIGINS);
        }
        boolean inProcess = embedded || servicesMissing;
        if (inProcess) {
            System.out.println("EMBEDDED MODE: one process, in-memory queue and result store; nothing survives a restart");
        }
        if (!inProcess && apiServers > 1 && Haproxy.binary().isEmpty()) {
            System.err.println(Haproxy.missingMessage(apiServers));
            return 2;
        }
        Stack stack;
        try {
            stack = inProcess
                    ? EmbeddedStack.start(model, port, env)
                    : LocalStack.start(new LocalStack.Plan(apiServers, workers, model, port, namespace, env),
                            Home.logs(), System.out);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        ControlServer control = stack instanceof LocalStack local ? ControlServer.start(local) : null;
        Path stackFile = StackFile.defaultPath();
        StackFile record = control == null ? null : new StackFile(ProcessHandle.current().pid(), stack.url(),
                control.url(), control.token(), namespace, System.currentTimeMillis());
        if (record != null) {
            record.write(stackFile);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping...");
            if (control != null) {
                control.close();
                record.deleteIfOurs(stackFile);
            }
            stack.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("tagger is up (" + stack.describe() + ")");
        System.out.println("  model:   " + model);
        System.out.println("  tag:     curl -s " + stack.url() + "/v1/tags -H 'Content-Type: application/json' "
                + "-d '{\"url\": \"https://example.com/cat.jpg\"}'");
        System.out.println("  upload:  curl -s " + stack.url() + "/v1/tags -H 'Content-Type: image/jpeg' --data-binary @photo.jpg");
        System.out.println("  metrics: " + stack.url() + "/metrics   ready: " + stack.url() + "/readyz");
        System.out.println("  operate: " + stack.url() + "/dashboard   " + stack.url() + "/v1/cluster   ./tagger status"
                + (control == null ? "" : "   ./tagger scale workers N"));
        if (stack instanceof LocalStack local && local.balancer() != null) {
            System.out.println("  balancer: HAProxy stats " + local.balancer().statsUrl());
        }
        System.out.println("Ctrl-C to stop.");
        stopped.await();
        return 0;
    }
}
