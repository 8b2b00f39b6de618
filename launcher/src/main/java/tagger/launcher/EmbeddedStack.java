package tagger.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import tagger.api.ApiConfig;
import tagger.api.edge.EdgePublisher;
import tagger.api.edge.ServingPixels;
import tagger.imaging.TurboJpeg;
import tagger.transport.JobPublisher;
import tagger.api.ApiServer;
import tagger.api.bulk.Bulk;
import tagger.api.cluster.Cluster;
import tagger.api.download.GuardedPoster;
import tagger.api.download.ImageDownloader;
import tagger.common.TrafficClass;
import tagger.transport.QueueProbe;
import tagger.transport.QueueStats;
import tagger.transport.memory.InMemoryBatchStore;
import tagger.transport.memory.InMemoryJobQueue;
import tagger.transport.memory.InMemoryPresenceBoard;
import tagger.transport.memory.InMemoryResultStore;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;

/**
 * The whole pipeline in this process, for a machine without RabbitMQ and Redis: the same api-server
 * and worker code, wired to an in-memory queue and result store instead. Nothing survives a restart.
 */
final class EmbeddedStack implements Stack {
    private final ApiServer api;
    private final Worker worker;

    private EmbeddedStack(ApiServer api, Worker worker) {
        this.api = api;
        this.worker = worker;
    }

    static EmbeddedStack start(Path modelDir, int port, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(extraEnv);
        env.put("TAGGER_MODEL_DIR", modelDir.toString());
        env.putAll(ServiceEnv.loopback(port));
        ApiConfig apiConfig = ApiConfig.fromEnv(env);
        WorkerConfig workerConfig = WorkerConfig.fromEnv(env);

        InMemoryJobQueue queue = new InMemoryJobQueue(workerConfig.maxDeliveries(), apiConfig.queueMaxLengths());
        InMemoryBatchStore batches = new InMemoryBatchStore();
        InMemoryResultStore results = new InMemoryResultStore(InMemoryResultStore.DEFAULT_TTL, Clock.systemUTC(),
                batches);
        InMemoryPresenceBoard board = new InMemoryPresenceBoard();
        Worker worker = Worker.start(workerConfig, queue.source(), results, Worker.newRegistry(), board);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        QueueStats depths = () -> {
            Map<String, QueueStats.Depth> d = new java.util.LinkedHashMap<>();
            for (TrafficClass c : TrafficClass.values()) {
                d.put(c.key(), new QueueStats.Depth(queue.depth(c), 1));
            }
            d.put(QueueStats.DEAD, new QueueStats.Depth(queue.deadLetters().size(), 0));
            return d;
        };
        ServingPixels pixels = new ServingPixels(board, Clock.systemUTC());
        Bulk bulk = bulk(apiConfig, workerConfig, queue, batches, registry, edge("bulk", queue, pixels, apiConfig, registry));
        ApiServer api = ApiServer.start(apiConfig, edge("realtime", queue, pixels, apiConfig, registry), results,
                new ImageDownloader(apiConfig.download(), registry), registry, Clock.systemUTC(),
                new Cluster(board, depths, bulk.migrations()), bulk);
        return new EmbeddedStack(api, worker);
    }

    /** Images published as the api-server's TAGGER_PREPROCESS_AT says. */
    private static EdgePublisher edge(String name, InMemoryJobQueue images, ServingPixels pixels, ApiConfig api,
            PrometheusMeterRegistry registry) {
        return new EdgePublisher(name, images.publisher(), pixels, api.edge(), TurboJpeg.shared().orElse(null),
                api.maxImagePixels(), registry, Clock.systemUTC());
    }

    /** The bulk path on a second in-memory queue (the URL queue) and the shared batch store. */
    private static Bulk bulk(ApiConfig api, WorkerConfig worker, InMemoryJobQueue images, InMemoryBatchStore batches,
            PrometheusMeterRegistry registry, JobPublisher imagePublisher) {
        InMemoryJobQueue urls = new InMemoryJobQueue(worker.maxDeliveries(), Map.of());
        String urlQueue = api.names().bulkUrlQueue();
        QueueProbe probe = queue -> new QueueProbe.Depth(
                (queue.equals(urlQueue) ? urls : images).depth(TrafficClass.BULK), 1);
        return Bulk.start(api.bulk(), new Bulk.Parts(batches, urls.publisher(), urls.source(), imagePublisher,
                new ImageDownloader(api.bulkDownload(), registry, TrafficClass.BULK), probe,
                new GuardedPoster(api.download())), api.names(), worker.maxDeliveries(), api.download().totalTimeout(),
                api.maxImagePixels(), registry, Clock.systemUTC());
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + api.port();
    }

    @Override
    public String describe() {
        return "embedded: api-server and 1 worker (" + worker.device() + ") in this process, in-memory queue "
                + "and result store; worker metrics on http://127.0.0.1:" + worker.adminPort() + "/metrics";
    }

    @Override
    public void close() {
        api.close();
        worker.close();
    }
}
