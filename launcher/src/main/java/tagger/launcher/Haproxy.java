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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy as a child process of the launcher (or of a test): the configuration is written to a
 * folder, checked with {@code haproxy -c}, then run in the foreground ({@code -db}) and stopped
 * with the launcher. Its stats page (CSV) tells who served what.
 */
final class Haproxy implements AutoCloseable {
    /** Debian's package installs into /usr/sbin, which is not on every user's PATH. */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ChildProcess process;
    private final int statsPort;

    private Haproxy(ChildProcess process, int statsPort) {
        this.process = process;
        this.statsPort = statsPort;
    }

    /** Where the haproxy binary is, if installed. */
    static Optional<Path> binary() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(EXTRA_DIRS);
        for (String d : dirs) {
            if (!d.isBlank() && Files.isExecutable(Path.of(d, "haproxy"))) {
                return Optional.of(Path.of(d, "haproxy"));
            }
        }
        return Optional.empty();
    }

    /** What to tell a user who asked for a load balancer on a machine without HAProxy. */
    static String missingMessage(int apiServers) {
        return "HAProxy is not installed, and it is what balances the " + apiServers + " api-servers (least "
                + "connections). Install it with:\n    sudo apt-get install haproxy\nor run a single api-server "
                + "without a load balancer: ./tagger up --api 1";
    }

    /**
     * Checks and starts HAProxy with {@code config}, waiting until its stats page answers.
     *
     * @throws IllegalStateException when HAProxy is missing or refuses the configuration (with its output)
     */
    static Haproxy start(String config, int statsPort, Path dir, Path logDir, String name) {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(missingMessage(2)));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".cfg");
            Files.writeString(file, config);
            String problems = check(bin, file);
            if (problems != null) {
                throw new IllegalStateException("HAProxy refuses " + file + ":\n" + problems);
            }
            ChildProcess p = ChildProcess.exec(name, List.of(bin.toString(), "-db", "-f", file.toString()),
                    Map.of(), logDir, "http://127.0.0.1:" + statsPort + "/stats");
            p.awaitReady(Duration.ofSeconds(15));
            return new Haproxy(p, statsPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code haproxy -c}; null when the file is valid, else what HAProxy said. */
    static String check(Path bin, Path file) {
        try {
            Process p = new ProcessBuilder(bin.toString(), "-c", "-f", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "haproxy -c did not finish within 30 s";
            }
            return p.exitValue() == 0 ? null : out.strip();
        } catch (IOException e) {
            return "cannot run " + bin + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    String statsUrl() {
        return "http://127.0.0.1:" + statsPort + "/stats";
    }

    long pid() {
        return process.pid();
    }

    /** One row of HAProxy's CSV stats: a frontend, a backend, or a server of a backend. */
    record Row(String proxy, String name, String status, long current, long total, long checkFailures,
            long checkDowns, long responses2xx, long responses4xx, long responses5xx, String checkStatus) {
    }

    /** The current stats, one row per proxy/server ({@code GET /stats;csv}). */
    List<Row> stats() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(statsUrl() + ";csv"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The row of one server of the api-servers backend. */
    Row server(String name) {
        return stats().stream().filter(r -> r.proxy().equals("api-servers") && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("HAProxy has no server " + name + ": " + stats()));
    }

    static List<Row> parse(String csv) {
        String[] lines = csv.split("\n");
        String[] header = lines[0].replaceFirst("^# ", "").split(",", -1);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i], i);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",", -1);
            rows.add(new Row(f[col.get("pxname")], f[col.get("svname")], f[col.get("status")], num(f, col, "scur"),
                    num(f, col, "stot"), num(f, col, "chkfail"), num(f, col, "chkdown"), num(f, col, "hrsp_2xx"),
                    num(f, col, "hrsp_4xx"), num(f, col, "hrsp_5xx"), f[col.get("check_status")]));
        }
        return rows;
    }

    private static long num(String[] fields, Map<String, Integer> col, String name) {
        String v = fields[col.get(name)];
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    @Override
    public void close() {
        process.close();
    }
}
