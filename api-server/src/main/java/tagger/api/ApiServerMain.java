package tagger.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.api.cluster.Cluster;
import tagger.api.cluster.MigrationProgress;
import tagger.api.download.ImageDownloader;
import tagger.transport.rabbit.RabbitJobPublisher;
import tagger.transport.rabbit.RabbitQueueStats;
import tagger.transport.rabbit.RabbitTopology;
import tagger.transport.redis.RedisPresenceBoard;
import tagger.transport.redis.RedisResultStore;

/** Starts an api-server against RabbitMQ and Redis, configured from {@code TAGGER_*} environment variables. */
public final class ApiServerMain {
    private static final Logger log = LoggerFactory.getLogger(ApiServerMain.class);

    private ApiServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApiConfig config;
        try {
            config = ApiConfig.fromEnv(System.getenv());
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
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /** The production wiring: RabbitMQ publisher, Redis result feed, guarded downloader. Tests reuse it. */
    public static ApiServer start(ApiConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RabbitJobPublisher publisher = new RabbitJobPublisher(config.rabbitUri(), new RabbitTopology(config.names(),
                RabbitTopology.DEFAULT_DELIVERY_LIMIT, config.queueMaxLengths()));
        RedisResultStore results = new RedisResultStore(config.redisUri(), config.names());
        ImageDownloader downloader = new ImageDownloader(config.download(), registry);
        // MigrationProgress.none(): the bulk batches code reports its migrations here once wired
        Cluster cluster = new Cluster(new RedisPresenceBoard(config.redisUri(), config.names()),
                new RabbitQueueStats(config.rabbitUri(), config.names()), MigrationProgress.none());
        return ApiServer.start(config, publisher, results, downloader, registry, Clock.systemUTC(), cluster);
    }
}
