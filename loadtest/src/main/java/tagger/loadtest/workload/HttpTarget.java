package tagger.loadtest.workload;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The generator's HTTP client: the JDK's non-blocking {@link HttpClient} on HTTP/1.1.
 *
 * <p>Why this client: an open-loop generator must be able to have thousands of requests
 * outstanding without a thread each. The JDK client multiplexes every connection on one selector
 * thread and opens a new connection whenever all pooled ones are busy, with no per-host cap; OkHttp's
 * async API instead runs each call on a dispatcher thread (blocking I/O) and queues calls above
 * {@code maxRequestsPerHost} (5 by default) inside the dispatcher, a hidden send delay. HTTP/1.1 is
 * forced so no h2c upgrade is attempted and each request has its own connection, like traffic behind a
 * load balancer.
 *
 * <p>Threads: "HttpClient-N-SelectorManager" (the JDK's) does the I/O; {@code threads} named
 * "loadtest-http-N" run body handling and completions (bounded queue; when it is full the selector
 * runs the task itself rather than drop it).
 */
public final class HttpTarget implements AutoCloseable {
    private final HttpClient client;
    private final ThreadPoolExecutor executor;

    public HttpTarget(Duration connectTimeout, int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(100_000), r -> {
                    Thread t = new Thread(r, "loadtest-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** Sends one request; the future always completes normally. */
    public CompletableFuture<Exchange> send(String scenario, HttpRequest request, int images) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> error != null
                        ? Exchange.transportFailure(scenario, "other", error)
                        : ResponseReader.read(scenario, images, response.statusCode(),
                                response.headers().firstValue("Server-Timing").orElse(null), response.body()));
    }

    /** Sends one request and hands back the raw answer (for workloads that read it themselves, e.g. bulk). */
    public CompletableFuture<HttpResponse<byte[]>> call(HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
