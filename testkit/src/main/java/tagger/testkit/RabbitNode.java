package tagger.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tagger.fixtures.LocalProcesses;

/**
 * A RabbitMQ node of a test's own: its own node name, AMQP and distribution ports (free ones), data,
 * log and plugin files under a temp directory, and the Erlang cookie of a temp HOME that the nodes of
 * one {@link RabbitCluster} and their {@code rabbitmqctl} share. It never touches the shared broker:
 * every {@code rabbitmqctl} call names this node with {@code -n}.
 *
 * <p>Needs the Debian package {@code rabbitmq-server} ({@link #installed()}); a node takes 5-15 s to
 * start on a quiet machine, far more on a busy one.
 */
public final class RabbitNode implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");

    private final String name;
    private final int amqpPort;
    private final Path dir;
    private final Path home;
    private Process process;

    private RabbitNode(String name, int amqpPort, Path dir, Path home) {
        this.name = name;
        this.amqpPort = amqpPort;
        this.dir = dir;
        this.home = home;
    }

    /** Whether rabbitmq-server and rabbitmqctl are installed where the Debian package puts them. */
    public static boolean installed() {
        return Files.isExecutable(BIN.resolve("rabbitmq-server")) && Files.isExecutable(BIN.resolve("rabbitmqctl"));
    }

    /**
     * Launches the node without waiting for it ({@link #awaitStarted}): several can boot at once.
     *
     * @param shortName the part before {@code @localhost}; unique on this machine
     * @param home      a directory whose {@code .erlang.cookie} every node of the cluster shares
     */
    public static RabbitNode launch(String shortName, Path home) throws IOException {
        Path dir = Files.createTempDirectory("tagger-rabbit-" + shortName + "-");
        RabbitNode node = new RabbitNode(shortName + "@localhost", LocalProcesses.freePort(), dir, home);
        node.start();
        return node;
    }

    /** A temp HOME holding a fresh Erlang cookie (mode 0400, as Erlang insists). */
    public static Path cookieHome() throws IOException {
        Path home = Files.createTempDirectory("tagger-rabbit-home-");
        Path cookie = home.resolve(".erlang.cookie");
        Files.writeString(cookie, "TAGGER" + Long.toHexString(System.nanoTime()).toUpperCase());
        cookie.toFile().setReadable(false, false);
        cookie.toFile().setWritable(false, false);
        cookie.toFile().setReadable(true, true);
        return home;
    }

    private void start() throws IOException {
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        int distPort = LocalProcesses.freePort();
        ProcessBuilder pb = new ProcessBuilder(BIN.resolve("rabbitmq-server").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile()).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("RABBITMQ_NODENAME", name);
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(amqpPort));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString()); // none: the defaults
        env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        // no busy-waiting schedulers: three nodes share a small machine with the test
        env.put("RABBITMQ_SCHEDULER_BUSY_WAIT_THRESHOLD", "none");
        process = pb.start();
        // a test JVM that exits without close() (a timeout, a crash) must not leave Erlang VMs behind
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        }, "rabbit-node-reaper-" + name));
    }

    /** Waits until the node runs RabbitMQ ({@code rabbitmqctl await_startup}). */
    public void awaitStarted(long seconds) throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("RabbitMQ node " + name + " exited while starting; console: " + console());
            }
            long left = TimeUnit.NANOSECONDS.toSeconds(until - System.nanoTime());
            if (left <= 0) {
                throw new IOException("RabbitMQ node " + name + " did not start within " + seconds + " s; console: "
                        + console());
            }
            try {
                ctl(left + 10, "await_startup", "--timeout", Long.toString(Math.min(left, 30)));
                return;
            } catch (IOException e) {
                // not registered with epmd yet: await_startup fails at once, so ask again
                LocalProcesses.sleep(500);
            }
        }
    }

    /**
     * Runs {@code rabbitmqctl -n <this node> args...} and returns its output.
     *
     * @throws IOException with the output when it fails or runs longer than {@code seconds}
     */
    public String ctl(long seconds, String... args) throws IOException {
        return run(BIN.resolve("rabbitmqctl"), seconds, args);
    }

    /** Runs {@code rabbitmq-queues -n <this node> args...}. */
    public String queues(long seconds, String... args) throws IOException {
        return run(BIN.resolve("rabbitmq-queues"), seconds, args);
    }

    private String run(Path tool, long seconds, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "-n", name));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + String.join(" ", cmd), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** The node's log directory (RabbitMQ's own log files). */
    public Path logs() {
        return dir.resolve("log");
    }

    /** {@code name@localhost}. */
    public String name() {
        return name;
    }

    public int amqpPort() {
        return amqpPort;
    }

    /** Kills the node's Erlang VM and its helpers with SIGKILL: no goodbye to its peers or its clients. */
    public void kill() {
        if (process == null) {
            return;
        }
        LocalProcesses.killNow(process);
        process = null;
    }

    /**
     * Starts a killed node again with its data (same name, ports and data directory): it rejoins its
     * cluster and its quorum queue members catch up. Waits until it runs.
     */
    public void restart(long seconds) throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("RabbitMQ node " + name + " is running; kill it first");
        }
        start();
        awaitStarted(seconds);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private String console() {
        try {
            String all = Files.readString(dir.resolve("console.log"));
            return all.length() > 3_000 ? all.substring(all.length() - 3_000) : all;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the node (a test's node holds nothing worth a clean stop) and deletes its files. */
    @Override
    public void close() {
        kill();
        LocalProcesses.deleteTree(dir);
    }
}
