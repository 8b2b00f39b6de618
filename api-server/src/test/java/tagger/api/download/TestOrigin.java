package tagger.api.download;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 origin on a loopback address whose answers each test scripts byte by byte, lying
 * headers included, and which records how much of each answer the client actually took.
 */
final class TestOrigin implements AutoCloseable {

    /** Writes one response. Throwing IOException is how a write into a closed connection shows up. */
    @FunctionalInterface
    interface Script {
        void answer(Exchange exchange) throws IOException, InterruptedException;
    }

    /** One request and what was written back. */
    static final class Exchange {
        final String requestLine;
        private final Socket socket;
        private final OutputStream out;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long bytesWritten;
        private volatile IOException failure;

        Exchange(String requestLine, Socket socket) throws IOException {
            this.requestLine = requestLine;
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        String path() {
            return requestLine.split(" ")[1];
        }

        /** Bytes the kernel accepted from us, headers included. */
        long bytesWritten() {
            return bytesWritten;
        }

        /** Why writing failed (the client closed the connection), or null if everything was written. */
        IOException failure() {
            return failure;
        }

        Exchange send(String text) throws IOException {
            return send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        Exchange send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            bytesWritten += bytes.length;
            return this;
        }

        /** Sends {@code count} bytes of {@code fill} in 16 KiB writes. */
        void sendFill(long count, byte fill) throws IOException {
            byte[] piece = new byte[16 * 1024];
            Arrays.fill(piece, fill);
            for (long left = count; left > 0; left -= piece.length) {
                send(left >= piece.length ? piece : Arrays.copyOf(piece, (int) left));
            }
        }

        /** Sends {@code count} bytes as chunked transfer coding, 16 KiB per chunk, then the last chunk. */
        void sendChunked(long count) throws IOException {
            byte[] piece = new byte[16 * 1024];
            for (long left = count; left > 0; left -= piece.length) {
                int n = (int) Math.min(left, piece.length);
                send(Integer.toHexString(n) + "\r\n");
                send(n == piece.length ? piece : Arrays.copyOf(piece, n));
                send("\r\n");
            }
            send("0\r\n\r\n");
        }

        /**
         * Whether the client closes the connection within {@code timeout} after the answer; false means
         * it kept the connection open, as a client does that pools it for the next request.
         */
        boolean clientCloses(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                return socket.getInputStream().read() == -1;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }

        /** Sends one byte every {@code every}, {@code count} times. */
        void drip(int count, Duration every) throws IOException, InterruptedException {
            for (int i = 0; i < count; i++) {
                send(new byte[] {'x'});
                Thread.sleep(every.toMillis());
            }
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    TestOrigin(String loopbackAddress, Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName(loopbackAddress));
        this.script = script;
        Thread acceptor = new Thread(this::acceptLoop, "test-origin-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static TestOrigin on127001(Script script) throws IOException {
        return new TestOrigin("127.0.0.1", script);
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://" + server.getInetAddress().getHostAddress() + ":" + port() + path;
    }

    /** TCP connections accepted so far. */
    int connections() {
        return connections.get();
    }

    List<Exchange> exchanges() {
        return exchanges;
    }

    /** Waits until {@code count} requests have arrived. */
    void awaitRequests(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (exchanges.size() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError(count + " requests expected within " + timeout + ", got " + exchanges.size());
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the script for request {@code index} (from 0) has finished, written or failed. */
    Exchange awaitFinished(int index, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (exchanges.size() <= index) {
            if (System.nanoTime() > end) {
                throw new AssertionError("request " + index + " never arrived; got " + exchanges.size());
            }
            Thread.sleep(5);
        }
        Exchange exchange = exchanges.get(index);
        if (!exchange.done.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("answer to '" + exchange.requestLine + "' still being written after " + timeout);
        }
        return exchange;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                Thread handler = new Thread(() -> serve(socket), "test-origin-conn-" + connections.get());
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) {
                return;
            }
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // headers are not needed by any script
            }
            Exchange exchange = new Exchange(requestLine, socket);
            exchanges.add(exchange);
            try {
                script.answer(exchange);
            } catch (IOException e) {
                exchange.failure = e;
            } finally {
                exchange.done.countDown();
            }
        } catch (IOException | InterruptedException e) {
            // connection torn down before a request arrived, or test over
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
