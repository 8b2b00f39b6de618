package tagger.loadtest.origin;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The built-in image origin: an HTTP server on one address serving the {@link PhotoCorpus} with the
 * faults each URL asks for (see {@link OriginHandler}).
 *
 * <p>Threads: Jetty's pool "origin-N" (at most 16; handlers never block), one "origin-timer" for
 * delays and drips.
 */
public final class OriginServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final ScheduledThreadPoolExecutor timer;
    private final OriginStats stats;
    private final String host;

    private OriginServer(Server server, ServerConnector connector, ScheduledThreadPoolExecutor timer, OriginStats stats,
            String host) {
        this.server = server;
        this.connector = connector;
        this.timer = timer;
        this.stats = stats;
        this.host = host;
    }

    /** Starts listening on {@code host:port} (port 0 picks a free one). */
    public static OriginServer start(String host, int port, PhotoCorpus corpus) {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("origin");
        pool.setDaemon(true);
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(75));
        server.addConnector(connector);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "origin-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        OriginStats stats = new OriginStats();
        server.setHandler(new OriginHandler(corpus, timer, stats));
        try {
            server.start();
        } catch (Exception e) {
            timer.shutdownNow();
            throw new IllegalStateException("image origin could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new OriginServer(server, connector, timer, stats, host);
    }

    /** {@code http://host:port}, what URLs are built from. */
    public String baseUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public OriginStats stats() {
        return stats;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort: the process is usually about to exit
        } finally {
            timer.shutdownNow();
        }
    }
}
