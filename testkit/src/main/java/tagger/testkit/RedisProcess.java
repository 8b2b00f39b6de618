package tagger.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
    private Process process;

    private RedisProcess(int port, Path dir, boolean appendonly) {
        this.port = port;
        this.dir = dir;
        this.appendonly = appendonly;
    }

    /** Starts a redis-server (Debian package {@code redis-server}) and waits until it accepts connections. */
    public static RedisProcess start(boolean appendonly) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisProcess r = new RedisProcess(port, Files.createTempDirectory("tagger-redis-"), appendonly);
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
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > until) {
                throw new IOException("redis-server on port " + port + " did not start; log: "
                        + Files.readString(dir.resolve("redis.log")));
            }
            sleep(20);
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

    /**
     * Deletes the data files (the append-only file) while the server is stopped, so that the next
     * {@link #start} is empty even with {@code appendonly}: a Redis that lost its disk.
     *
     * @throws IllegalStateException while the server runs
     */
    public synchronized void wipe() throws IOException {
        if (process != null) {
            throw new IllegalStateException("stop redis-server on port " + port + " before wiping its data");
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) && !p.getFileName().toString().equals("redis.log")) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
