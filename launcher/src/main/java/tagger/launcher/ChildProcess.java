package tagger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the local stack running in its own JVM (same classpath as the launcher), its output
 * going to a log file.
 */
final class ChildProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final String readyUrl;

    private ChildProcess(String name, Process process, Path log, String readyUrl) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.readyUrl = readyUrl;
    }

    /**
     * Starts {@code mainClass} in a new JVM with extra environment variables.
     *
     * @param readyUrl the URL that answers 200 once the service is ready
     */
    static ChildProcess start(String name, String mainClass, Map<String, String> env, Path logDir, String readyUrl) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseG1GC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return exec(name, cmd, env, logDir, readyUrl);
    }

    /** Starts any program (e.g. HAProxy) the same way: output to {@code logDir/name.log}, ready when readyUrl answers 200. */
    static ChildProcess exec(String name, List<String> cmd, Map<String, String> env, Path logDir, String readyUrl) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            pb.environment().putAll(env);
            return new ChildProcess(name, pb.start(), log, readyUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The URL that answers 200 once the service is ready. */
    String readyUrl() {
        return readyUrl;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit code once the process ended; empty while it runs. */
    java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    /** Waits until the ready URL answers 200, failing early with the log's tail if the process dies. */
    void awaitReady(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; last lines of "
                        + log + ":\n" + tail(30));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(readyUrl))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready at " + readyUrl + " after " + timeout.toSeconds()
                + " s; last lines of " + log + ":\n" + tail(30));
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    /** Asks for a graceful stop (SIGTERM), then kills after 15 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(15)) {
            process.destroyForcibly();
            waitFor(5);
        }
    }

    private boolean waitFor(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
