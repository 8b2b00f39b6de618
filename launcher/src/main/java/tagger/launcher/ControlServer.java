package tagger.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import tagger.common.Json;

/**
 * The {@code up} process's control channel, on 127.0.0.1 only, one thread ("control-http"), each
 * call authenticated by the token recorded in {@code stack.json}:
 * <ul>
 *   <li>{@code GET /stack}: the processes that run;</li>
 *   <li>{@code POST /workers?count=N}: scale the worker processes to N.</li>
 * </ul>
 */
final class ControlServer implements AutoCloseable {
    static final String TOKEN_HEADER = "X-Tagger-Token";
    /** Most workers one call may ask for: a typo like 100 instead of 10 would otherwise swamp the machine. */
    static final int MAX_WORKERS = 64;

    private final HttpServer server;
    private final String token;

    private ControlServer(HttpServer server, String token) {
        this.server = server;
        this.token = token;
    }

    static ControlServer start(LocalStack stack) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            ControlServer control = new ControlServer(server, token);
            server.createContext("/stack", ex -> control.handle(ex, "GET", () -> Map.of("stack", stack.processes())));
            server.createContext("/workers", ex -> control.handle(ex, "POST", () -> {
                int count = count(ex.getRequestURI().getQuery());
                LocalStack.Scaled s = stack.scaleWorkers(count);
                return Map.of("before", s.before(), "after", s.after(), "started", s.started(), "stopped", s.stopped());
            }));
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "control-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return control;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the control channel on 127.0.0.1", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String token() {
        return token;
    }

    private interface Action {
        Map<String, Object> run();
    }

    private void handle(HttpExchange ex, String method, Action action) throws IOException {
        int status;
        Map<String, Object> body;
        String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            status = 401;
            body = Map.of("error", "missing or wrong " + TOKEN_HEADER + " (it is in stack.json)");
        } else if (!method.equals(ex.getRequestMethod())) {
            status = 405;
            body = Map.of("error", ex.getRequestURI().getPath() + " takes " + method + ", got " + ex.getRequestMethod());
        } else {
            try {
                body = action.run();
                status = 200;
            } catch (IllegalArgumentException e) {
                status = 400;
                body = Map.of("error", e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                body = Map.of("error", String.valueOf(e.getMessage()));
            }
        }
        try (ex) {
            send(ex, status, body);
        }
    }

    static int count(String query) {
        String value = null;
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("count=")) {
                    value = part.substring("count=".length());
                }
            }
        }
        try {
            int n = Integer.parseInt(String.valueOf(value));
            if (n < 0 || n > MAX_WORKERS) {
                throw new IllegalArgumentException("count must be between 0 and " + MAX_WORKERS + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("count must be an integer between 0 and " + MAX_WORKERS + ", got '"
                    + value + "'");
        }
    }

    private static void send(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.writeBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
