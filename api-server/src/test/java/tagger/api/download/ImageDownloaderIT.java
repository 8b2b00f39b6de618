package tagger.api.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import okhttp3.Dns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;

/** The downloader against real HTTP origins on loopback addresses; nothing here leaves 127.0.0.0/8. */
class ImageDownloaderIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] PNG = png();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void imageIsDownloadedWithItsFinalUrlAndMetrics() throws Exception {
        TestOrigin origin = origin(x -> x.send(ok(PNG.length, "image/png")).send(PNG));
        ImageDownloader downloader = downloader(localConfig());

        FetchedImage image = downloader.fetch(origin.url("/cat.png"), deadlineIn(WAIT)).get(10, TimeUnit.SECONDS);

        assertArrayEquals(PNG, image.body());
        assertEquals(origin.url("/cat.png"), image.finalUrl());
        assertTrue(image.millis() > 0);
        assertEquals(0, downloader.active());
        assertEquals(1, registry.get("tagger.download.duration").tag("outcome", "ok").timer().count());
        assertEquals(PNG.length, registry.get("tagger.download.bytes").summary().totalAmount());
        assertEquals(0.0, registry.get("tagger.download.active").gauge().value());
    }

    @Test
    void notFoundIsAnOriginStatusErrorNamingTheStatus() throws Exception {
        TestOrigin origin = origin(x -> x.send("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"));
        ImageDownloader downloader = downloader(localConfig());

        DownloadException e = failure(downloader.fetch(origin.url("/missing.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.ORIGIN_STATUS, e.code());
        assertEquals("origin answered HTTP 404 Not Found", e.getMessage());
        assertEquals(1, registry.get("tagger.download.duration").tag("outcome", "origin_status").timer().count());
    }

    @Test
    void declaredContentLengthOverTheCapFailsAtOnceAndDropsTheConnection() throws Exception {
        long huge = 64L * 1024 * 1024;
        TestOrigin origin = origin(x -> {
            x.send(ok(huge, "image/jpeg"));
            x.sendFill(huge, (byte) 0);
        });
        ImageDownloader downloader = downloader(localConfig(64 * 1024));

        DownloadException e = failure(downloader.fetch(origin.url("/big.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertEquals("origin declares 67108864 bytes (Content-Length), limit 65536", e.getMessage());
        assertClosedEarly(origin.awaitFinished(0, WAIT), huge);
    }

    @Test
    void chunkedBodyOverTheCapIsCutOffWhileStreaming() throws Exception {
        long huge = 64L * 1024 * 1024;
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n");
            x.sendChunked(huge);
        });
        ImageDownloader downloader = downloader(localConfig(64 * 1024));

        DownloadException e = failure(downloader.fetch(origin.url("/stream.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertTrue(e.getMessage().startsWith("body is larger than the limit of 65536 bytes; stopped reading after "),
                e.getMessage());
        assertClosedEarly(origin.awaitFinished(0, WAIT), huge);
    }

    @Test
    void smallContentLengthBesideChunkedCodingCannotSneakABigBodyPastTheCap() throws Exception {
        // A lying origin: declares 1000 bytes, but chunked coding takes precedence and it streams 64 MiB.
        long huge = 64L * 1024 * 1024;
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nTransfer-Encoding: chunked\r\n\r\n");
            x.sendChunked(huge);
        });
        ImageDownloader downloader = downloader(localConfig(64 * 1024));

        DownloadException e = failure(downloader.fetch(origin.url("/liar.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertClosedEarly(origin.awaitFinished(0, WAIT), huge);
    }

    @Test
    void oversizedBodysConnectionIsClosedAtOnceNotDrainedForReuse() throws Exception {
        // Small enough to sit in socket buffers, so only the client's choice decides what happens next:
        // draining the rest to pool the connection (OkHttp's default on close) or dropping it.
        AtomicBoolean clientClosed = new AtomicBoolean();
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n");
            try {
                x.sendChunked(200 * 1024);
            } catch (java.io.IOException reset) {
                // the client closed while the body was still being written: dropped, not drained
                clientClosed.set(true);
                return;
            }
            clientClosed.set(x.clientCloses(Duration.ofSeconds(5)));
        });
        ImageDownloader downloader = downloader(localConfig(64 * 1024));

        DownloadException e = failure(downloader.fetch(origin.url("/stream.jpg"), deadlineIn(WAIT)));
        origin.awaitFinished(0, WAIT);

        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertTrue(clientClosed.get(), "the connection of a refused body is closed, not kept in the pool");
    }

    @Test
    void bodyWithoutAnyLengthIsCutOffAtTheCap() throws Exception {
        long huge = 64L * 1024 * 1024;
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n"); // body runs to EOF
            x.sendFill(huge, (byte) 0);
        });
        ImageDownloader downloader = downloader(localConfig(64 * 1024));

        DownloadException e = failure(downloader.fetch(origin.url("/eof.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertClosedEarly(origin.awaitFinished(0, WAIT), huge);
    }

    @Test
    void contentLengthSmallerThanWhatIsSentYieldsOnlyTheDeclaredBytes() throws Exception {
        // HTTP framing: the client never reads past Content-Length, so extra bytes cannot grow the body.
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n");
            x.sendFill(1000, (byte) 'A');
            x.sendFill(100_000, (byte) 'B');
        });
        ImageDownloader downloader = downloader(localConfig(64 * 1024));

        FetchedImage image = downloader.fetch(origin.url("/short.jpg"), deadlineIn(WAIT)).get(10, TimeUnit.SECONDS);

        byte[] expected = new byte[1000];
        Arrays.fill(expected, (byte) 'A');
        assertArrayEquals(expected, image.body());
    }

    @Test
    void bodyEndingBeforeItsContentLengthIsAFailedDownload() throws Exception {
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            x.sendFill(500, (byte) 0); // then the connection closes
        });
        ImageDownloader downloader = downloader(localConfig());

        DownloadException e = failure(downloader.fetch(origin.url("/cut.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.DOWNLOAD_FAILED, e.code());
        assertTrue(e.getMessage().startsWith("connection closed before the whole body arrived"), e.getMessage());
    }

    @Test
    void redirectsWithinTheLimitAreFollowedToTheFinalUrl() throws Exception {
        TestOrigin origin = origin(x -> {
            int hop = Integer.parseInt(x.path().substring("/r/".length()));
            if (hop < 3) {
                x.send(redirect("/r/" + (hop + 1)));
            } else {
                x.send(ok(PNG.length, "image/png")).send(PNG);
            }
        });
        ImageDownloader downloader = downloader(localConfig(20 * 1024 * 1024, 3, Duration.ofSeconds(10)));

        FetchedImage image = downloader.fetch(origin.url("/r/0"), deadlineIn(WAIT)).get(10, TimeUnit.SECONDS);

        assertArrayEquals(PNG, image.body());
        assertEquals(origin.url("/r/3"), image.finalUrl());
    }

    @Test
    void redirectChainLongerThanTheLimitIsRefusedWithoutFetchingTheNextHop() throws Exception {
        TestOrigin origin = origin(x -> {
            int hop = Integer.parseInt(x.path().substring("/r/".length()));
            x.send(redirect("/r/" + (hop + 1)));
        });
        ImageDownloader downloader = downloader(localConfig(20 * 1024 * 1024, 3, Duration.ofSeconds(10)));

        DownloadException e = failure(downloader.fetch(origin.url("/r/0"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.TOO_MANY_REDIRECTS, e.code());
        assertEquals("more than 3 redirects; redirect 4 pointed to '/r/4'", e.getMessage());
        assertEquals(4, origin.exchanges().size()); // /r/0 .. /r/3, never /r/4
    }

    @Test
    void redirectToAnotherLoopbackAddressIsBlockedBeforeConnecting() throws Exception {
        // The policy lets the test reach its origin on 127.0.0.1 and nothing else; the canary on
        // 127.0.0.2 counts the connections a broken guard would make, without leaving the machine.
        TestOrigin canary = canary();
        ImageDownloader downloader = downloader(localConfig(), only127001(), noDns(), Clock.systemUTC());
        for (String target : List.of("http://127.0.0.2:" + canary.port() + "/x",
                "http://2130706434:" + canary.port() + "/x", "http://[::ffff:127.0.0.2]:" + canary.port() + "/x")) {
            TestOrigin origin = origin(x -> x.send(redirect(target)));

            DownloadException e = failure(downloader.fetch(origin.url("/start"), deadlineIn(WAIT)));

            assertEquals(ErrorCode.BLOCKED_ADDRESS, e.code(), target);
            assertTrue(e.getMessage().endsWith("is 127.0.0.2, a loopback address; private networks are not allowed"),
                    e.getMessage());
            assertTrue(e.getMessage().startsWith("redirect to 'http://"), e.getMessage());
        }
        assertEquals(0, canary.connections());
    }

    @Test
    void redirectToANameResolvingToADeniedAddressIsBlockedBeforeConnecting() throws Exception {
        TestOrigin canary = canary();
        TestOrigin origin = origin(x -> x.send(redirect("http://canary.test:" + canary.port() + "/x")));
        Dns dns = GuardedDnsTest.fixed(Map.of("canary.test", List.of("127.0.0.2")));
        ImageDownloader downloader = downloader(localConfig(), only127001(), dns, Clock.systemUTC());

        DownloadException e = failure(downloader.fetch(origin.url("/start"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.BLOCKED_ADDRESS, e.code());
        assertEquals("host 'canary.test' resolves to 127.0.0.2, a loopback address; private networks are not allowed",
                e.getMessage());
        assertEquals(0, canary.connections());
    }

    @Test
    void loopbackUrlIsBlockedWithoutPrivateNetworksAndNothingConnects() throws Exception {
        TestOrigin origin = origin(x -> x.send(ok(PNG.length, "image/png")).send(PNG));
        ImageDownloader downloader = downloader(DownloadConfig.defaults()); // the production wiring

        DownloadException literal = failure(downloader.fetch(origin.url("/cat.png"), deadlineIn(WAIT)));
        DownloadException name = failure(downloader.fetch("http://localhost:" + origin.port() + "/cat.png", deadlineIn(WAIT)));

        assertEquals(ErrorCode.BLOCKED_ADDRESS, literal.code());
        assertEquals("host '127.0.0.1' is 127.0.0.1, a loopback address; private networks are not allowed",
                literal.getMessage());
        assertEquals(ErrorCode.BLOCKED_ADDRESS, name.code());
        assertTrue(name.getMessage().startsWith("host 'localhost' resolves to "), name.getMessage());
        assertTrue(name.getMessage().endsWith(", a loopback address; private networks are not allowed"), name.getMessage());
        assertEquals(0, origin.connections());
        assertEquals(2, registry.get("tagger.download.duration").tag("outcome", "blocked_address").timer().count());
    }

    @Test
    void socketGuardRefusesADeniedAddressEvenWhenHandedOneDirectly() throws Exception {
        TestOrigin origin = origin(x -> x.send(ok(0, "image/png")));
        GuardedSocketFactory sockets = new GuardedSocketFactory(AddressPolicy.standard(false));

        try (var socket = sockets.createSocket()) {
            var target = new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), origin.port());
            BlockedAddressException e = assertThrows(BlockedAddressException.class, () -> socket.connect(target, 1000));
            assertEquals("connection to port " + origin.port()
                    + " of 127.0.0.1, a loopback address; private networks are not allowed", e.getMessage());
        }
        assertEquals(0, origin.connections());
    }

    @Test
    void nonHttpAndGarbageUrlsAreInvalidWithoutAnyConnection() throws Exception {
        ImageDownloader downloader = downloader(localConfig());

        assertEquals(ErrorCode.INVALID_URL, failure(downloader.fetch("ftp://127.0.0.1/a.jpg", deadlineIn(WAIT))).code());
        assertEquals(ErrorCode.INVALID_URL, failure(downloader.fetch("http//broken", deadlineIn(WAIT))).code());
        assertEquals(ErrorCode.INVALID_URL, failure(downloader.fetch("http://exa mple.com/", deadlineIn(WAIT))).code());
        assertEquals(ErrorCode.INVALID_URL, failure(downloader.fetch(null, deadlineIn(WAIT))).code());
        assertEquals(4, registry.get("tagger.download.duration").tag("outcome", "invalid_url").timer().count());
    }

    @Test
    void slowDripBodyIsCutOffAtTheTotalTimeout() throws Exception {
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            x.drip(1000, Duration.ofMillis(20)); // 20 s in all; each byte well inside the read timeout
        });
        ImageDownloader downloader = downloader(localConfig(20 * 1024 * 1024, 5, Duration.ofMillis(500)));

        DownloadException e = failure(downloader.fetch(origin.url("/drip.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.DOWNLOAD_TIMEOUT, e.code());
        assertEquals("download did not finish within the total limit of 500 ms", e.getMessage());
        TestOrigin.Exchange exchange = origin.awaitFinished(0, WAIT);
        assertNotNull(exchange.failure(), "the origin saw the connection closed");
    }

    @Test
    void callersDeadlineShortensTheTotalTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TestOrigin origin = origin(x -> release.await(10, TimeUnit.SECONDS));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
        ImageDownloader downloader = downloader(localConfig(), AddressPolicy.standard(true), noDns(), clock);

        DownloadException e = failure(downloader.fetch(origin.url("/slow.jpg"), 1_000_300));
        release.countDown();

        assertEquals(ErrorCode.DOWNLOAD_TIMEOUT, e.code());
        assertEquals("download did not finish within 300 ms, before the caller's deadline", e.getMessage());
    }

    @Test
    void deadlineAlreadyPassedFailsWithoutConnecting() throws Exception {
        TestOrigin origin = origin(x -> x.send(ok(PNG.length, "image/png")).send(PNG));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
        ImageDownloader downloader = downloader(localConfig(), AddressPolicy.standard(true), noDns(), clock);

        DownloadException e = failure(downloader.fetch(origin.url("/late.jpg"), 999_995));

        assertEquals(ErrorCode.DOWNLOAD_TIMEOUT, e.code());
        assertEquals("the caller's deadline passed 5 ms before the download started", e.getMessage());
        assertEquals(0, origin.connections());
    }

    @Test
    void silentOriginHitsTheReadTimeout() throws Exception {
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            Thread.sleep(5_000);
        });
        DownloadConfig config = new DownloadConfig(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5),
                1024 * 1024, 5, true, 4, 4, "tagger-test");
        ImageDownloader downloader = downloader(config);

        DownloadException e = failure(downloader.fetch(origin.url("/silent.jpg"), deadlineIn(WAIT)));

        assertEquals(ErrorCode.DOWNLOAD_TIMEOUT, e.code());
        assertEquals("origin sent nothing for 200 ms (read timeout)", e.getMessage());
    }

    @Test
    void hangingDownloadsEndAtTheirDeadlinesEvenWhileOneCallersContinuationIsStuck() throws Exception {
        // accepts connections (the kernel's backlog) and never reads or answers: a hanging host
        ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        resources.add(hanging);
        String url = "http://127.0.0.1:" + hanging.getLocalPort() + "/held.jpg";
        // the read timeout is far past every deadline, so only the deadline timer can end these in time
        DownloadConfig config = new DownloadConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60),
                1024 * 1024, 5, true, 16, 16, "tagger-test");
        ImageDownloader downloader = downloader(config);
        int others = 12;
        CountDownLatch othersDone = new CountDownLatch(others);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

        // the first deadline's caller blocks in its continuation until every other download has ended
        CompletableFuture<FetchedImage> first = downloader.fetch(url, deadlineIn(Duration.ofSeconds(2)));
        first.whenComplete((image, e) -> {
            threads.add(Thread.currentThread().getName());
            awaitQuietly(othersDone, Duration.ofSeconds(20));
        });
        for (int i = 0; i < others; i++) {
            downloader.fetch(url, deadlineIn(Duration.ofSeconds(3))).whenComplete((image, e) -> {
                threads.add(Thread.currentThread().getName());
                failures.add(e);
                othersDone.countDown();
            });
        }

        // 10 s: well past the 3 s deadlines, well short of the 30 s read timeout
        assertTrue(othersDone.await(10, TimeUnit.SECONDS), "the other downloads ended by their deadlines; "
                + othersDone.getCount() + " of " + others + " still open, completed so far on " + threads);
        for (Throwable e : failures) {
            DownloadException d = assertInstanceOf(DownloadException.class, e);
            assertEquals(ErrorCode.DOWNLOAD_TIMEOUT, d.code());
            assertTrue(d.getMessage().endsWith("before the caller's deadline"), d.getMessage());
        }
        failure(first);
        assertEquals(others + 1, threads.size());
        for (String thread : threads) {
            assertTrue(thread.startsWith("tagger-download-completer-"), "completed on " + thread);
        }
    }

    private static void awaitQuietly(CountDownLatch latch, Duration limit) {
        try {
            latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void refusedConnectionIsAFailedDownload() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        ImageDownloader downloader = downloader(localConfig());

        DownloadException e = failure(downloader.fetch("http://127.0.0.1:" + port + "/a.jpg", deadlineIn(WAIT)));

        assertEquals(ErrorCode.DOWNLOAD_FAILED, e.code());
        assertTrue(e.getMessage().startsWith("could not connect: "), e.getMessage());
    }

    @Test
    void concurrentDownloadsNeverExceedTheLimitAndWaitingOnesCountAsActive() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TestOrigin origin = origin(x -> {
            release.await(10, TimeUnit.SECONDS);
            x.send(ok(PNG.length, "image/png")).send(PNG);
        });
        DownloadConfig config = new DownloadConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
                1024 * 1024, 5, true, 2, 2, "tagger-test");
        ImageDownloader downloader = downloader(config);

        List<CompletableFuture<FetchedImage>> downloads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            downloads.add(downloader.fetch(origin.url("/" + i), deadlineIn(WAIT)));
        }
        origin.awaitRequests(2, WAIT);
        Thread.sleep(300); // time enough for a third request to arrive if the limit did not hold

        assertEquals(2, origin.exchanges().size());
        assertEquals(5, downloader.active());
        release.countDown();
        for (CompletableFuture<FetchedImage> download : downloads) {
            assertArrayEquals(PNG, download.get(10, TimeUnit.SECONDS).body());
        }
        assertEquals(0, downloader.active());
    }

    @Test
    void callerCancellingStopsTheDownloadAndClosesTheConnection() throws Exception {
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            x.drip(1000, Duration.ofMillis(10));
        });
        ImageDownloader downloader = downloader(localConfig());
        CompletableFuture<FetchedImage> download = downloader.fetch(origin.url("/a.jpg"), deadlineIn(WAIT));
        origin.awaitRequests(1, WAIT);

        download.cancel(true);

        assertNotNull(origin.awaitFinished(0, WAIT).failure(), "the origin saw the connection closed");
        assertEquals(0, downloader.active());
        assertEquals(1, registry.get("tagger.download.duration").tag("outcome", "cancelled").timer().count());
    }

    @Test
    void closingFailsUnfinishedDownloadsAndRefusesNewOnes() throws Exception {
        TestOrigin origin = origin(x -> {
            x.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            x.drip(1000, Duration.ofMillis(10));
        });
        ImageDownloader downloader = new ImageDownloader(localConfig(), registry);
        CompletableFuture<FetchedImage> download = downloader.fetch(origin.url("/a.jpg"), deadlineIn(WAIT));
        origin.awaitRequests(1, WAIT);

        downloader.close();

        DownloadException e = failure(download);
        assertEquals(ErrorCode.DOWNLOAD_FAILED, e.code());
        assertEquals("downloader closed before the download finished", e.getMessage());
        assertEquals("downloader is closed", failure(downloader.fetch(origin.url("/b.jpg"), deadlineIn(WAIT))).getMessage());
        assertTrue(downloader.terminated(), "dispatcher and deadline threads stopped");
    }

    private static void assertClosedEarly(TestOrigin.Exchange exchange, long bodySize) {
        assertNotNull(exchange.failure(), "the origin saw the connection closed");
        assertTrue(exchange.bytesWritten() < bodySize,
                "origin wrote " + exchange.bytesWritten() + " of " + bodySize + " bytes before the close");
    }

    private TestOrigin origin(TestOrigin.Script script) throws IOException {
        TestOrigin origin = TestOrigin.on127001(script);
        resources.add(origin);
        return origin;
    }

    private TestOrigin canary() throws IOException {
        TestOrigin canary = new TestOrigin("127.0.0.2", x -> x.send(ok(0, "image/png")));
        resources.add(canary);
        return canary;
    }

    private ImageDownloader downloader(DownloadConfig config) {
        ImageDownloader downloader = new ImageDownloader(config, registry);
        resources.add(downloader);
        return downloader;
    }

    private ImageDownloader downloader(DownloadConfig config, AddressPolicy policy, Dns dns, Clock clock) {
        ImageDownloader downloader = new ImageDownloader(config, registry, policy, dns, clock);
        resources.add(downloader);
        return downloader;
    }

    /** Private networks allowed, so the test can reach its origin on 127.0.0.1. */
    private static DownloadConfig localConfig() {
        return localConfig(20 * 1024 * 1024);
    }

    private static DownloadConfig localConfig(long maxBytes) {
        return localConfig(maxBytes, 5, Duration.ofSeconds(10));
    }

    private static DownloadConfig localConfig(long maxBytes, int maxRedirects, Duration total) {
        return new DownloadConfig(Duration.ofSeconds(2), Duration.ofSeconds(5), total, maxBytes, maxRedirects, true,
                8, 8, "tagger-test");
    }

    /** Public addresses and 127.0.0.1 only: every other loopback address is refused. */
    private static AddressPolicy only127001() {
        AddressPolicy standard = AddressPolicy.standard(false);
        return address -> AddressClassifier.format(address).equals("127.0.0.1") ? Optional.empty() : standard.refusal(address);
    }

    private static Dns noDns() {
        return GuardedDnsTest.fixed(Map.of());
    }

    private static long deadlineIn(Duration duration) {
        return System.currentTimeMillis() + duration.toMillis();
    }

    private static String ok(long contentLength, String contentType) {
        return "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + contentLength
                + "\r\nConnection: close\r\n\r\n";
    }

    private static String redirect(String location) {
        return "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }

    private static DownloadException failure(CompletableFuture<FetchedImage> download) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> download.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(DownloadException.class, e.getCause());
    }

    private static byte[] png() {
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

}
