package tagger.api;

import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.api.bulk.Bulk;
import tagger.api.cache.ResultCache;
import tagger.api.edge.EdgePublisher;
import tagger.api.edge.ServingPixels;
import tagger.imaging.TurboJpeg;
import tagger.transport.JobPublisher;
import tagger.api.cluster.Cluster;
import tagger.api.download.GuardedPoster;
import tagger.api.download.HostBulkhead;
import tagger.api.download.ImageFetcher;
import tagger.api.download.ImageDownloader;
import tagger.common.TrafficClass;
import tagger.transport.rabbit.RabbitJobPublisher;
import tagger.transport.rabbit.RabbitJobSource;
import tagger.transport.rabbit.RabbitQueueProbe;
import tagger.transport.rabbit.RabbitQueueStats;
import tagger.transport.rabbit.RabbitTopology;
import tagger.transport.redis.RedisBatchStore;
import tagger.transport.redis.RedisCacheReader;
import tagger.transport.redis.RedisPresenceBoard;
import tagger.transport.redis.RedisResultStore;
import tagger.tracing.Exemplars;
import tagger.tracing.TraceKit;
import tagger.tracing.Tracing;

/** Starts an api-server against RabbitMQ and Redis, configured from {@code TAGGER_*} environment variables. */
public final class ApiServerMain {
    private static final Logger log = LoggerFactory.getLogger(ApiServerMain.class);

    private ApiServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApiConfig config;
        try {
            config = ApiConfig.fromEnv(System.getenv());
            TraceKit.install(Tracing.open("api-server"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ApiServer server = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("api-server {} stopping", config.instanceId());
            server.close();
            TraceKit.current().close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /**
     * The production wiring: RabbitMQ publisher, Redis result feed, guarded downloader, the result cache
     * (unless TAGGER_CACHE=false), and the bulk path with its own connections and download pool. Tests
     * reuse it.
     */
    public static ApiServer start(ApiConfig config) {
        PrometheusMeterRegistry registry = Exemplars.registry(TraceKit.current());
        // jvm_threads_live_threads: waiting requests must not hold threads (ManyWaitersIT reads it)
        new JvmThreadMetrics().bindTo(registry);
        RabbitTopology topology = new RabbitTopology(config.names(), RabbitTopology.DEFAULT_DELIVERY_LIMIT,
                config.queueMaxLengths());
        RedisPresenceBoard board = new RedisPresenceBoard(config.redisUri(), config.names());
        ServingPixels pixels = new ServingPixels(board, Clock.systemUTC());
        TurboJpeg turbo = TurboJpeg.shared().orElse(null);
        JobPublisher publisher = new EdgePublisher("realtime", new RabbitJobPublisher(config.rabbitUri(), topology),
                pixels, config.edge(), turbo, config.maxImagePixels(), registry, Clock.systemUTC());
        RedisResultStore results = new RedisResultStore(config.redisUri(), config.names());
        ImageDownloader direct = new ImageDownloader(config.download(), registry);
        // a bulkhead that lets one host take every slot protects nobody: then downloads queue as before
        ImageFetcher downloader = config.download().maxPerHost() < config.download().maxConcurrent()
                ? new HostBulkhead(direct, config.download().maxPerHost(), registry) : direct;
        ResultCache cache = config.cache()
                ? ResultCache.start(new RedisCacheReader(config.cacheRedisUri()), board, config.names(), registry)
                : ResultCache.off(registry);
        Bulk bulk = Bulk.start(config.bulk(), new Bulk.Parts(new RedisBatchStore(config.redisUri(), config.names()),
                RabbitJobPublisher.forBulkUrls(config.rabbitUri(), topology),
                RabbitJobSource.forBulkUrls(config.rabbitUri(), topology),
                new EdgePublisher("bulk", new RabbitJobPublisher(config.rabbitUri(), topology), pixels, config.edge(),
                        turbo, config.maxImagePixels(), registry, Clock.systemUTC()),
                new ImageDownloader(config.bulkDownload(), registry, TrafficClass.BULK),
                new RabbitQueueProbe(config.rabbitUri()), new GuardedPoster(config.download()), cache),
                config.names(), topology.deliveryLimit(), config.download().totalTimeout(), config.maxImagePixels(), registry,
                Clock.systemUTC());
        Cluster cluster = new Cluster(board, new RabbitQueueStats(config.rabbitUri(), config.names()),
                bulk.migrations());
        return ApiServer.start(config, publisher, results, downloader, registry, Clock.systemUTC(), cluster, bulk,
                cache);
    }
}
