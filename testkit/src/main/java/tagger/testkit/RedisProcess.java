package tagger.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own, on a free loopback port, that the test may stop and start again
 * on the same port — an outage of the result store without touching the shared Redis. With
 * {@code appendonly}, data written before a stop is there after the start (AOF {@code everysec},
 * as deploy/ configures it; stop is a clean SHUTDOWN, which fsyncs); without it a start is empty.
 */
public final class RedisProcess implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final boolean appendonly;
    private final List<String> extraArgs;
    private Process process;

    private RedisProcess(int port, Path dir, boolean appendonly, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.appendonly = appendonly;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a redis-server (Debian package {@code redis-server}) and waits until it accepts connections. */
    public static RedisProcess start(boolean appendonly) throws IOException {
        return start(appendonly, List.of());
    }

    /** Like {@link #start(boolean)} with more redis-server options, such as {@code --replicaof host port}. */
    public static RedisProcess start(boolean appendonly, List<String> extraArgs) throws IOException {
        RedisProcess r = new RedisProcess(LocalProcesses.freePort(), Files.createTempDirectory("tagger-redis-"), appendonly, extraArgs);
        r.start();
        return r;
    }

    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Starts the server again on the same port (after {@link #stop}). */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--daemonize", "no",
                "--appendonly", appendonly ? "yes" : "no", "--appendfsync", "everysec"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LocalProcesses.accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > until) {
                throw new IOException("redis-server on port " + port + " did not start; log: "
                        + Files.readString(dir.resolve("redis.log")));
            }
            LocalProcesses.sleep(20);
        }
    }

    /** Stops the server: connections are refused until {@link #start}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: redis-server shuts down cleanly (and fsyncs its AOF)
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the server (SIGKILL): no shutdown, no fsync, as when its machine dies. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        LocalProcesses.deleteTree(dir);
    }
}
