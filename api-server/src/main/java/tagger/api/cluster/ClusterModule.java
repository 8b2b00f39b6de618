package tagger.api.cluster;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import tagger.api.http.RequestCode;
import tagger.api.http.RequestErrors;
import tagger.common.Json;
import tagger.common.TrafficClass;

/**
 * The api-server's operator side: {@code GET /v1/cluster} (JSON), {@code GET /dashboard} (one
 * self-contained page that charts {@code /v1/cluster}), and this server's own heartbeat. Owns and
 * closes the cluster sources.
 */
public final class ClusterModule implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterModule.class);
    private final Cluster sources;
    private final ClusterView view;
    private final ApiHeartbeat heartbeat;
    private final byte[] dashboard;

    /**
     * @param maxLengths the queue bounds this server declares, shown beside the depths
     * @param inFlight   images this server holds now
     * @param waiting    images this server queued and waits for
     */
    public ClusterModule(Cluster sources, ClusterConfig config, Map<TrafficClass, Integer> maxLengths,
            String instanceId, IntSupplier inFlight, IntSupplier waiting, MeterRegistry registry, Clock clock,
            Supplier<String> edge) {
        this.sources = sources;
        this.view = new ClusterView(sources, config, maxLengths, clock, edge);
        ClusterMetrics.bind(view, registry);
        this.heartbeat = new ApiHeartbeat(sources.board(), instanceId, inFlight, waiting, registry, clock);
        this.dashboard = resource("dashboard.html");
    }

    public void start() {
        heartbeat.start();
    }

    /** {@code GET /v1/cluster}. */
    public void cluster(Context ctx) {
        ClusterSnapshot snapshot;
        try {
            snapshot = view.snapshot();
        } catch (RuntimeException e) {
            // every source is read defensively; this is the backstop that keeps a bug from becoming a 500 page
            log.error("building the cluster view failed", e);
            ctx.header("Cache-Control", "no-store");
            RequestErrors.answer(ctx, RequestCode.UNAVAILABLE, "the cluster view is unknown right now: " + e);
            return;
        }
        ctx.contentType("application/json").header("Cache-Control", "no-store").result(Json.writeBytes(snapshot));
    }

    /** {@code GET /dashboard}. */
    public void dashboard(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(dashboard);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ClusterModule.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the api-server jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        heartbeat.close();
        sources.board().close();
        sources.queues().close();
    }
}
