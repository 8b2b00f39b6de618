package tagger.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tagger.fixtures.FaultProxy;

class FaultProxyIT {
    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void startEchoServerBehindProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread pump = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // client went away
                        }
                    }, "echo-pump");
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo-accept");
        t.setDaemon(true);
        t.start();
        proxy = FaultProxy.to(URI.create("amqp://127.0.0.1:" + echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket s = connect()) {
            assertEquals('x', roundTrip(s, 'x'));
        }
    }

    @Test
    void cutClosesOpenConnectionsButNewOnesWork() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, 'a');
            proxy.cutAll();
            assertEquals(-1, s.getInputStream().read());
        }
        try (Socket s = connect()) {
            assertEquals('b', roundTrip(s, 'b'));
        }
    }

    @Test
    void frozenConnectionStaysOpenButDeliversNothing() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, 'a');
            proxy.freezeAll();
            s.getOutputStream().write('b');
            s.setSoTimeout(2_000); // an echo takes milliseconds; nothing in 2 s means nothing gets through
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
        }
    }

    @Test
    void stalledConnectionStopsReadingUntilTheWriterBlocks() throws Exception {
        try (Socket s = connect()) {
            roundTrip(s, 'a');
            proxy.stallAll();
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(new byte[64 * 1024 * 1024]);
                } catch (IOException ignored) {
                    // the socket closes at the end of the test
                }
            }, "stalled-writer");
            writer.setDaemon(true);
            writer.start();

            writer.join(1000);

            assertTrue(writer.isAlive(), "64 MiB went through a stalled connection");
        }
    }

    @Test
    void refusedConnectionsCloseAtOnce() throws IOException {
        proxy.refuseNew(true);
        try (Socket s = connect()) {
            assertEquals(-1, readAfterWriting(s, 'a'), "a refused connection is closed, not forwarded");
        }
        assertEquals(1, proxy.refusedConnections());
    }

    /** The first byte read after writing {@code c}; -1 for a close or a reset, a failure for a timeout. */
    private static int readAfterWriting(Socket s, char c) throws IOException {
        try {
            s.getOutputStream().write(c);
            return s.getInputStream().read();
        } catch (SocketTimeoutException e) {
            return fail("the connection stayed open without an answer for " + s.getSoTimeout() + " ms: " + e);
        } catch (SocketException reset) {
            return -1; // a reset instead of an orderly close is just as much "refused"
        }
    }

    @Test
    void uriForKeepsSchemeCredentialsAndPath() {
        URI uri = proxy.uriFor(URI.create("amqp://guest:guest@10.1.2.3:5672/vhost"));

        assertEquals("amqp://guest:guest@127.0.0.1:" + proxy.port() + "/vhost", uri.toString());
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000); // a hang fails the test; a healthy answer takes milliseconds
        return s;
    }

    private static int roundTrip(Socket s, char c) throws IOException {
        s.getOutputStream().write(c);
        InputStream in = s.getInputStream();
        return in.read();
    }
}
