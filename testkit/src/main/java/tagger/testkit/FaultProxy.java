package tagger.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a loopback port in front of a real service, with which a test cuts, freezes,
 * stalls or refuses connections — the crash, the silent network failure, the server that stopped
 * reading and the service that is down.
 *
 * <p>Threads: one named acceptor, two named pumps per proxied connection; all daemon, all ended
 * by {@link #close()}.
 */
public final class FaultProxy implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final int id = IDS.incrementAndGet();
    private volatile boolean refusing;
    private final AtomicInteger refused = new AtomicInteger();

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tagger-fault-proxy-" + id + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy forwarding to the host and port of {@code service} (default ports as in {@link LocalServices}). */
    public static FaultProxy to(URI service) throws IOException {
        return new FaultProxy(LocalServices.address(service));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code service} with its host and port replaced by this proxy's. */
    public URI uriFor(URI service) {
        String userInfo = service.getRawUserInfo() == null ? "" : service.getRawUserInfo() + "@";
        String path = service.getRawPath() == null ? "" : service.getRawPath();
        return URI.create(service.getScheme() + "://" + userInfo + "127.0.0.1:" + port() + path);
    }

    /** Closes every open connection at once, as a crashed server would. */
    public void cutAll() {
        for (Link l : links) {
            l.close();
        }
    }

    /** Open connections stay open but silently drop everything in both directions from now on. */
    public void freezeAll() {
        for (Link l : links) {
            l.frozen = true;
        }
    }

    /**
     * Open connections stop reading in both directions, so the peers' socket buffers fill and their
     * writes block — a server that stopped draining its connections.
     */
    public void stallAll() {
        for (Link l : links) {
            l.stalled = true;
        }
    }

    /** While true, new connections are accepted and closed at once (the service is down). */
    public void refuseNew(boolean refuse) {
        this.refusing = refuse;
    }

    /** Connections closed at once because of {@link #refuseNew}, so far. */
    public int refusedConnections() {
        return refused.get();
    }

    public int openConnections() {
        return links.size();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket does not fail in a way a test could act on
        }
        cutAll();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(target, 2000);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** One proxied connection: two sockets and the two pumps between them. */
    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean frozen;
        volatile boolean stalled;
        volatile boolean closed;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() throws IOException {
            pump(client.getInputStream(), upstream.getOutputStream(), "up");
            pump(upstream.getInputStream(), client.getOutputStream(), "down");
        }

        private void pump(InputStream in, OutputStream out, String direction) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try {
                    int n;
                    while (awaitUnstalled() && (n = in.read(buf)) >= 0) {
                        if (!frozen) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side went away: take the whole link down, as a real connection would
                } finally {
                    close();
                }
            }, "tagger-fault-proxy-" + id + "-" + direction + "-" + client.getPort());
            t.setDaemon(true);
            t.start();
        }

        private boolean awaitUnstalled() throws IOException {
            while (stalled && !closed) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while stalled", e);
                }
            }
            return !closed;
        }

        void close() {
            closed = true;
            closeQuietly(client);
            closeQuietly(upstream);
            links.remove(this);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing useful to do: the socket is gone either way
        }
    }
}
