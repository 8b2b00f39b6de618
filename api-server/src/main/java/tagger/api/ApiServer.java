package tagger.api;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.api.admission.Admission;
import tagger.api.admission.AnswerCounter;
import tagger.api.admission.StoreWatch;
import tagger.api.admission.UploadBudget;
import tagger.api.cache.ResultCache;
import tagger.api.cluster.Cluster;
import tagger.api.cluster.ClusterModule;
import tagger.api.edge.EdgePublisher;
import tagger.api.bulk.Bulk;
import tagger.api.download.ImageFetcher;
import tagger.api.flow.ImageFlow;
import tagger.api.http.RequestErrors;
import tagger.api.http.TagsHandler;
import tagger.api.results.ResultWaiter;
import tagger.common.Json;
import tagger.common.Threads;
import tagger.transport.JobPublisher;
import tagger.transport.ResultFeed;
import tagger.transport.StoreUnavailableException;

/**
 * A running api-server: the HTTP routes wired to a publisher, a result feed and a fetcher. Owns and
 * closes everything it is given.
 *
 * <p>Threads: Jetty's pool runs handlers (never blocked waiting for results); "result-sweeper" runs
 * read-backs and deadlines; "result-completer-N" complete waiting requests and write their responses
 * ("tagger-download-completer-N" do the same for downloads ended by their deadline);
 * "store-watch" probes the result store (see {@link StoreWatch}).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;
    private final JobPublisher publisher;
    private final ResultFeed feed;
    private final ImageFetcher fetcher;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor completer;
    private final TagsHandler tags;
    private final ResultWaiter waiter;
    private final ClusterModule cluster;
    private final Bulk bulk;
    private final ResultCache cache;
    private final StoreWatch storeWatch;

    private ApiServer(ApiConfig config, JobPublisher publisher, ResultFeed feed, ImageFetcher fetcher,
            PrometheusMeterRegistry registry, Clock clock, Cluster sources, Bulk bulk, ResultCache cache) {
        this.publisher = publisher;
        this.cache = cache;
        this.bulk = bulk;
        this.feed = feed;
        this.fetcher = fetcher;
        this.scheduler = new ScheduledThreadPoolExecutor(1, Threads.named("result-sweeper"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.completer = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.maxInflight()), Threads.named("result-completer"),
                new ThreadPoolExecutor.CallerRunsPolicy());
        this.waiter = new ResultWaiter(feed, scheduler, completer, clock, config.sweepAfter(), registry);
        this.storeWatch = new StoreWatch(feed::isReady, Executors.newSingleThreadScheduledExecutor(
                Threads.named("store-watch")), config.admission().storeCheckInterval(),
                () -> waiter.failAll(new StoreUnavailableException("the result store stopped answering while this "
                        + "request waited; retry after " + Admission.RETRY_AFTER_SECONDS + " s", null)));
        AnswerCounter answers = new AnswerCounter(registry);
        UploadBudget uploads = new UploadBudget(config.admission().uploadBudgetBytes());
        registry.gauge("tagger.api.upload.bytes", uploads, UploadBudget::held);
        Admission admission = new Admission(storeWatch::isUp, uploads, config.maxImageBytes(), answers);
        ImageFlow flow = new ImageFlow(fetcher, publisher, waiter, cache, config.instanceId(),
                config.maxImagePixels(), clock, registry);
        this.tags = new TagsHandler(flow, publisher, clock, new TagsHandler.Limits(config.maxUrls(),
                config.maxImageBytes(), config.maxInflight(), config.defaultTimeout(), config.maxTimeout()));
        registry.gauge("tagger.api.inflight", tags, TagsHandler::inflight);
        this.cluster = new ClusterModule(sources, config.cluster(), config.queueMaxLengths(), config.instanceId(),
                tags::inflight, waiter::waiting, registry, clock,
                publisher instanceof EdgePublisher edge ? edge::describe : () -> "off (this server publishes originals)");

        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxImageBytes();
            // our own deadlines answer every request; Jetty's async timeout is only a backstop
            cfg.http.asyncTimeout = config.maxTimeout().toMillis() + 30_000;
            // bounded: waiting requests hold no thread (ctx.future), so a small pool serves thousands
            org.eclipse.jetty.util.thread.QueuedThreadPool pool =
                    new org.eclipse.jetty.util.thread.QueuedThreadPool(config.httpThreads(), 8);
            pool.setName("http");
            cfg.jetty.threadPool = pool;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.routes.before("/v1/tags", admission::before);
            cfg.routes.post("/v1/tags", tags::handle);
            cfg.routes.after("/v1/tags", admission::after);
            cfg.routes.after(answers::count);
            if (bulk != null) {
                bulk.routes(cfg.routes);
            }
            cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            cfg.routes.get("/readyz", ctx -> {
                Map<String, Boolean> checks = readiness();
                boolean ready = !checks.containsValue(false);
                ctx.status(ready ? 200 : 503).contentType("application/json")
                        .result(Json.write(Map.of("ready", ready, "checks", checks)));
            });
            cfg.routes.get("/v1/cluster", cluster::cluster);
            cfg.routes.get("/v1/formats", ctx -> ctx.contentType("application/json")
                    .result(Json.write(tagger.imaging.FormatSupport.describe())));
            cfg.routes.get("/dashboard", cluster::dashboard);
            cfg.routes.get("/metrics", ctx -> {
                String type = tagger.tracing.Exemplars.contentType(ctx.header("Accept"));
                ctx.contentType(type).result(tagger.tracing.Exemplars.scrape(registry, type));
            });
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
                String code = e.getStatus() == 413 ? "payload_too_large" : "http_" + e.getStatus();
                String message = e.getStatus() == 413
                        ? "request body exceeds " + config.maxImageBytes() + " bytes, the limit"
                        : e.getMessage();
                RequestErrors.refuse(ctx, e.getStatus(), code, message);
            });
        });
        waiter.start(config.instanceId());
        storeWatch.start();
    }

    /** Starts serving without a view of the deployment and without the batch endpoints. */
    public static ApiServer start(ApiConfig config, JobPublisher publisher, ResultFeed feed, ImageFetcher fetcher,
            PrometheusMeterRegistry registry, Clock clock) {
        return start(config, publisher, feed, fetcher, registry, clock, Cluster.standalone(), null);
    }

    /**
     * Starts serving and announcing itself, with the batch endpoints of {@code bulk} (null: none); the
     * parts are owned by the server from now on.
     */
    public static ApiServer start(ApiConfig config, JobPublisher publisher, ResultFeed feed, ImageFetcher fetcher,
            PrometheusMeterRegistry registry, Clock clock, Cluster cluster, Bulk bulk) {
        return start(config, publisher, feed, fetcher, registry, clock, cluster, bulk, ResultCache.off(registry));
    }

    /** As above, answering from {@code cache} (owned from now on) where it can. */
    public static ApiServer start(ApiConfig config, JobPublisher publisher, ResultFeed feed, ImageFetcher fetcher,
            PrometheusMeterRegistry registry, Clock clock, Cluster cluster, Bulk bulk, ResultCache cache) {
        ApiServer server = new ApiServer(config, publisher, feed, fetcher, registry, clock, cluster, bulk, cache);
        server.app.start();
        server.cluster.start();
        log.info("api-server {} listening on {}:{}", config.instanceId(), config.host(), server.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    /** Which dependencies are reachable right now. */
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("queue", publisher.isReady());
        checks.put("results", storeWatch.isUp());
        if (bulk != null) {
            checks.put("batches", bulk.isReady());
        }
        return checks;
    }

    /** The result cache this server answers from (possibly switched off). */
    public ResultCache cache() {
        return cache;
    }

    /** The bulk path, or null when this server has none. */
    public Bulk bulk() {
        return bulk;
    }

    @Override
    public void close() {
        cluster.close(); // leave the presence board first: operators see the server go at once
        app.stop();
        if (bulk != null) {
            bulk.close();
        }
        cache.close(); // after the bulk stage, which looks up until it stops (a closed board only fails its refresh)
        storeWatch.close();
        scheduler.shutdownNow();
        completer.shutdown();
        fetcher.close();
        publisher.close();
        feed.close();
    }
}
