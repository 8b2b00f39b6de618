package tagger.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import tagger.common.Json;
import tagger.common.Threads;

/**
 * The worker's admin port: {@code /healthz}, {@code /readyz} and {@code /metrics} (Prometheus), on the
 * JDK's small HTTP server with one thread ("admin-http") — the worker has no other HTTP traffic.
 */
final class AdminServer implements AutoCloseable {
    private final HttpServer server;

    private AdminServer(HttpServer server) {
        this.server = server;
    }

    static AdminServer start(String host, int port, PrometheusMeterRegistry registry,
            Supplier<Map<String, Boolean>> readiness) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.createContext("/healthz", ex -> send(ex, 200, "application/json", "{\"status\":\"ok\"}"));
            server.createContext("/readyz", ex -> {
                Map<String, Boolean> checks = readiness.get();
                boolean ready = !checks.containsValue(false);
                send(ex, ready ? 200 : 503, "application/json", Json.write(Map.of("ready", ready, "checks", checks)));
            });
            server.createContext("/metrics", ex -> {
                String type = tagger.tracing.Exemplars.contentType(ex.getRequestHeaders().getFirst("Accept"));
                send(ex, 200, type, tagger.tracing.Exemplars.scrape(registry, type));
            });
            server.setExecutor(Executors.newSingleThreadExecutor(Threads.single("admin-http")));
            server.start();
            return new AdminServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on admin port " + host + ":" + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
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
