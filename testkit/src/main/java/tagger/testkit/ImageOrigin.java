package tagger.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP origin on 127.0.0.1 serving whatever bodies it is given, for tests and the demo.
 * Besides registered paths it answers {@code /status/<code>} with that status,
 * {@code /slow/<ms>/<path>} with the registered body after a delay, and
 * {@code /flaky/<n>/<retryAfterSeconds>/<path>} with 503 and that {@code Retry-After} the first n
 * times, then with the body, {@code /throttled/<n>/<retryAfterSeconds>/<path>} the same with 429, and {@code /held/<path>} only once {@link #release()} was called (tests
 * use it to hold work until a crash or a scale-down has happened). It counts requests and the most
 * it ever served at once.
 */
public final class ImageOrigin implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Body> bodies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Long>> hitTimes = new ConcurrentHashMap<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);

    private record Body(byte[] bytes, String contentType) {
    }

    private ImageOrigin(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on a free port of 127.0.0.1. */
    public static ImageOrigin start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            AtomicInteger n = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "image-origin-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ImageOrigin origin = new ImageOrigin(server, executor);
            server.createContext("/", origin::handle);
            server.setExecutor(executor);
            server.start();
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code body} at {@code path} (e.g. "/red.jpg") and returns its URL. */
    public String put(String path, byte[] body, String contentType) {
        bodies.put(path, new Body(body, contentType));
        return url(path);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers every {@code /held/} request, waiting or still to come. */
    public void release() {
        held.countDown();
    }

    /** How many requests reached {@code path}. */
    public int hits(String path) {
        AtomicInteger h = hits.get(path);
        return h == null ? 0 : h.get();
    }

    /** Requests served, all paths together. */
    public int totalHits() {
        return total.get();
    }

    /** The most requests this origin was serving at one moment. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** When each request for {@code path} arrived (epoch ms), in order. */
    public java.util.List<Long> hitTimes(String path) {
        java.util.List<Long> t = hitTimes.get(path);
        return t == null ? java.util.List.of() : java.util.List.copyOf(t);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        total.incrementAndGet();
        try {
            serve(exchange);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            hitTimes.computeIfAbsent(path, p -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                    .add(System.currentTimeMillis());
            if (path.startsWith("/status/")) {
                int status = Integer.parseInt(path.substring("/status/".length()));
                send(exchange, status, ("status " + status).getBytes(), "text/plain");
                return;
            }
            if (path.startsWith("/flaky/") || path.startsWith("/throttled/")) {
                String[] parts = path.split("/", 5); // "", "flaky" or "throttled", n, retryAfter, rest
                if (hit <= Integer.parseInt(parts[2])) {
                    exchange.getResponseHeaders().set("Retry-After", parts[3]);
                    send(exchange, parts[1].equals("flaky") ? 503 : 429, "busy, come back later".getBytes(), "text/plain");
                    return;
                }
                path = "/" + parts[4];
            }
            if (path.startsWith("/held/")) {
                awaitRelease();
                path = path.substring("/held".length());
            }
            if (path.startsWith("/slow/")) {
                String rest = path.substring("/slow/".length());
                int slash = rest.indexOf('/');
                sleep(Long.parseLong(rest.substring(0, slash)));
                path = rest.substring(slash);
            }
            Body body = bodies.get(path);
            if (body == null) {
                send(exchange, 404, ("no such image: " + path).getBytes(), "text/plain");
            } else {
                send(exchange, 200, body.bytes, body.contentType);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void awaitRelease() {
        try {
            held.await(); // bounded: close() releases
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
