package tagger.launcher;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A closed-loop load for the tests: {@code clients} threads, each sending its next request as soon as
 * the previous one was answered, until {@code total} were sent. Every call is recorded with its
 * times, status and the api-server HAProxy chose ({@code X-Tagger-Server}).
 */
final class ClosedLoop implements AutoCloseable {
    /** One request: a status of -1 means no HTTP answer at all (connection reset...). */
    record Call(long startNanos, long endNanos, int status, String server, String retryAfter, String body) {
        double millis() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService threads;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final int clients;

    private ClosedLoop(int clients) {
        this.clients = clients;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "load-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the load; {@code request} builds the i-th request. */
    static ClosedLoop start(int clients, int total, IntFunction<HttpRequest> request) {
        ClosedLoop load = new ClosedLoop(clients);
        for (int c = 0; c < clients; c++) {
            load.threads.execute(() -> {
                int i;
                while ((i = load.sent.getAndIncrement()) < total) {
                    load.calls.add(load.send(request.apply(i)));
                }
            });
        }
        load.threads.shutdown();
        return load;
    }

    private Call send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Call(start, System.nanoTime(), r.statusCode(), r.headers().firstValue("X-Tagger-Server").orElse(null),
                    r.headers().firstValue("Retry-After").orElse(null), r.body());
        } catch (IOException e) {
            return new Call(start, System.nanoTime(), -1, null, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call(start, System.nanoTime(), -1, null, null, "interrupted");
        }
    }

    int completed() {
        return calls.size();
    }

    /** Waits until every request was answered and returns them all. */
    List<Call> await(Duration within) throws InterruptedException {
        if (!threads.awaitTermination(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the load did not finish within " + within.toSeconds() + " s: "
                    + calls.size() + " answered with " + clients + " clients");
        }
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
