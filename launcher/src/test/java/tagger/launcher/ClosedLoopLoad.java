package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop clients for fault tests: each posts images one request after another. One logical
 * request is retried on {@code 503} and {@code 429} — nothing was accepted — every 200 ms until it
 * is answered otherwise or the retry time ({@link #RETRY_FOR_S} by default) has passed, so a fault
 * costs retries, never an answer. The load runs until {@link #fault} has been marked and {@code afterFault} requests sent
 * after it were answered, or {@code maxRequests} were sent.
 */
final class ClosedLoopLoad implements AutoCloseable {
    static final long RETRY_FOR_S = 120;

    /** One logical request. {@code status} -1: the connection failed. */
    record Outcome(int index, long startNanos, long endNanos, int status, String requestId, int attempts, String body) {
    }

    private final String url;
    private final List<byte[]> images;
    private final int afterFault;
    private final int maxRequests;
    private final long retryForNanos;
    private final ExecutorService clients;
    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong faultAt = new AtomicLong();
    private final AtomicInteger answeredAfterFault = new AtomicInteger();
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final Map<String, String> refusedBody = new ConcurrentHashMap<>();

    ClosedLoopLoad(String url, List<byte[]> images, int clients, int afterFault, int maxRequests) {
        this(url, images, clients, afterFault, maxRequests, RETRY_FOR_S);
    }

    ClosedLoopLoad(String url, List<byte[]> images, int clients, int afterFault, int maxRequests, long retryForS) {
        this.retryForNanos = TimeUnit.SECONDS.toNanos(retryForS);
        this.url = url;
        this.images = images;
        this.afterFault = afterFault;
        this.maxRequests = maxRequests;
        this.clients = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            this.clients.execute(this::client);
        }
        this.clients.shutdown();
    }

    /** Logical requests answered so far. */
    int answered() {
        return outcomes.size();
    }

    /** Marks the moment of the fault; returns it (System.nanoTime). */
    long fault() {
        long now = System.nanoTime();
        faultAt.set(now);
        return now;
    }

    /** When the fault was marked (System.nanoTime), 0 before. */
    long faultAt() {
        return faultAt.get();
    }

    int answeredAfterFault() {
        return answeredAfterFault.get();
    }

    /** Waits for the load to end; false when it did not within {@code seconds}. */
    boolean await(long seconds) throws InterruptedException {
        return clients.awaitTermination(seconds, TimeUnit.SECONDS);
    }

    /** Logical requests sent (each is answered once the load has ended). */
    int sent() {
        return Math.min(next.get(), maxRequests);
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Refused attempts by "status code", e.g. {@code {503 unavailable=44}}. */
    String refusedCounts() {
        return refused.toString();
    }

    /** {@link #refusedCounts}, with the last body of each. */
    String refusals() {
        return refused + "; last bodies: " + refusedBody;
    }

    /** What a fault run came to; {@link #assertEveryRequestAnsweredOnce} makes it. */
    record Summary(int requests, int retries, long firstAnswerAfterFaultMs, long slowestAroundFaultMs) {
    }

    /**
     * Asserts that the load has ended with every logical request answered {@code 200}, once per
     * request id, and that some were sent after the fault.
     */
    Summary assertEveryRequestAnsweredOnce() {
        long fault = faultAt.get();
        List<Outcome> all = outcomes();
        assertEquals(sent(), all.size(), "every request sent was answered");
        Set<String> ids = new HashSet<>();
        int retries = 0;
        for (Outcome o : all) {
            assertEquals(200, o.status(), "request " + o.index() + " was lost: " + o.body());
            assertTrue(ids.add(o.requestId()), "one answer per request id: " + o.requestId());
            retries += o.attempts() - 1;
        }
        long first = all.stream().filter(o -> o.startNanos() >= fault)
                .mapToLong(o -> TimeUnit.NANOSECONDS.toMillis(o.endNanos() - fault)).min()
                .orElseThrow(() -> new AssertionError("no request was sent after the fault"));
        long slowest = all.stream().filter(o -> o.endNanos() >= fault)
                .mapToLong(o -> TimeUnit.NANOSECONDS.toMillis(o.endNanos() - o.startNanos())).max().orElse(0);
        return new Summary(all.size(), retries, first, slowest);
    }

    /** The longest time without any answer after {@code since}, in ms. */
    long longestSilenceMs(long since) {
        long[] ends = outcomes().stream().mapToLong(Outcome::endNanos).filter(t -> t >= since).sorted().toArray();
        long stall = 0;
        long previous = since;
        for (long end : ends) {
            stall = Math.max(stall, end - previous);
            previous = end;
        }
        return TimeUnit.NANOSECONDS.toMillis(stall);
    }

    @Override
    public void close() {
        clients.shutdownNow();
    }

    private void client() {
        int i;
        while (!Thread.currentThread().isInterrupted() && (faultAt.get() == 0 || answeredAfterFault.get() < afterFault)
                && (i = next.getAndIncrement()) < maxRequests) {
            Outcome o = call(i, images.get(i % images.size()));
            outcomes.add(o);
            long fault = faultAt.get();
            if (fault != 0 && o.startNanos() >= fault) {
                answeredAfterFault.incrementAndGet();
            }
        }
    }

    private Outcome call(int index, byte[] png) {
        long start = System.nanoTime();
        int attempts = 0;
        while (true) {
            attempts++;
            Http.Answer a;
            try {
                a = Http.postBytes(url, png, "image/png");
            } catch (UncheckedIOException e) {
                return new Outcome(index, start, System.nanoTime(), -1, null, attempts, e.toString());
            }
            boolean notAccepted = a.status() == 503 || a.status() == 429;
            if (notAccepted) {
                String key = a.status() + " " + (a.body() == null ? "?" : a.body().path("error").path("code").asText("?"));
                refused.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                refusedBody.put(key, a.raw().body());
            }
            if (notAccepted && System.nanoTime() - start < retryForNanos
                    && !Thread.currentThread().isInterrupted()) {
                sleep(200);
                continue;
            }
            String id = a.body() == null ? null : a.body().path("requestId").asText(null);
            return new Outcome(index, start, System.nanoTime(), a.status(), id, attempts, a.raw().body());
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
