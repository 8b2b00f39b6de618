package tagger.api.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tagger.common.Json;

/**
 * Headless Debian Chromium driven through chromedriver with the W3C WebDriver protocol over
 * {@code java.net.http}: the handful of calls a page test needs (open, read text, run a script,
 * screenshot), without Selenium and its driver download manager.
 */
final class Browser implements AutoCloseable {
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process driver;
    private final String base;
    private final String session;

    private Browser(Process driver, String base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    /** chromedriver from PATH, or null when it is not installed. */
    static Path driverBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "chromedriver"))) {
                return Path.of(dir, "chromedriver");
            }
        }
        return null;
    }

    /** Debian's real binary (its /usr/bin/chromium is a shell wrapper). */
    static Path chromium() {
        Path real = Path.of("/usr/lib/chromium/chromium");
        return Files.isExecutable(real) ? real : Path.of("/usr/bin/chromium");
    }

    /**
     * Starts chromedriver on a free port of 127.0.0.1 and a headless Chromium session with a new profile.
     *
     * @throws IllegalStateException when chromedriver or Chromium is missing, saying how to install them
     */
    static Browser start(Path profile, Path driverLog) {
        Path bin = driverBinary();
        if (bin == null || !Files.isExecutable(chromium())) {
            throw new IllegalStateException("this test drives a real browser: install Chromium and its driver with "
                    + "`sudo apt-get install chromium chromium-driver` (./tagger test does this)");
        }
        int port = freePort();
        try {
            Files.createDirectories(driverLog.getParent());
            Process p = new ProcessBuilder(bin.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
            String base = "http://127.0.0.1:" + port;
            awaitStatus(p, base, driverLog);
            List<String> args = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1300",
                    "--user-data-dir=" + profile.toAbsolutePath()));
            JsonNode created = call("POST", base + "/session", Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                    "browserName", "chrome",
                    "goog:chromeOptions", Map.of("binary", chromium().toString(), "args", args)))));
            return new Browser(p, base, created.path("sessionId").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void open(String url) {
        call("POST", session("/url"), Map.of("url", url));
    }

    /**
     * The rendered text of the first element matching {@code css}; found again if the page replaced it
     * between the lookup and the read (it redraws its tables on every refresh).
     */
    String text(String css) {
        for (int attempt = 1; ; attempt++) {
            JsonNode el = call("POST", session("/element"), Map.of("using", "css selector", "value", css));
            try {
                return call("GET", session("/element/" + el.path(ELEMENT).asText() + "/text"), null).asText();
            } catch (IllegalStateException e) {
                if (attempt == 5 || !e.getMessage().contains("stale element reference")) {
                    throw e;
                }
            }
        }
    }

    /** Runs {@code js} (a function body; use {@code return}) in the page. */
    JsonNode script(String js) {
        return call("POST", session("/execute/sync"), Map.of("script", js, "args", List.of()));
    }

    byte[] screenshot() {
        return Base64.getDecoder().decode(call("GET", session("/screenshot"), null).asText());
    }

    private String session(String path) {
        return base + "/session/" + session + path;
    }

    private static JsonNode call(String method, String url, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = Json.MAPPER.readTree(r.body()).path("value");
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + url + " answered " + r.statusCode() + ": "
                        + value.path("error").asText() + ": " + value.path("message").asText());
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitStatus(Process p, String base, Path log) throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException("chromedriver exited: " + Files.readString(log));
            }
            try {
                if (call("GET", base + "/status", null).path("ready").asBoolean()) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("chromedriver not ready after 20 s: " + Files.readString(log));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            call("DELETE", base + "/session/" + session, null);
        } catch (RuntimeException e) {
            // the driver going away takes the browser with it
        }
        driver.destroy();
        try {
            if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
