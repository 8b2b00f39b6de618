package tagger.api.bulk;

import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import tagger.api.cache.ResultCache;
import tagger.api.download.GuardedPoster;
import tagger.api.cluster.MigrationProgress;
import tagger.api.download.ImageFetcher;
import tagger.common.Names;
import tagger.common.Threads;
import tagger.common.TrafficClass;
import tagger.transport.BatchStore;
import tagger.transport.JobPublisher;
import tagger.transport.JobSource;
import tagger.transport.QueueProbe;

/**
 * The bulk path of one api-server: the batch endpoints, the download stage, flow control and
 * callbacks, wired from its parts (RabbitMQ and Redis in production, in-memory in the embedded
 * mode). Owns and closes every part.
 */
public final class Bulk implements AutoCloseable {

    /**
     * What the bulk path talks to.
     *
     * @param urlPublisher   publishes bulk items to the URL queue (intake)
     * @param urlSource      consumes the URL queue (download stage)
     * @param imagePublisher publishes downloaded bulk images; its own connection, apart from real-time's
     * @param fetcher        the bulk downloader; its own pool, apart from real-time's
     * @param cache          the result cache, shared with real-time (the api-server closes it)
     */
    public record Parts(BatchStore store, JobPublisher urlPublisher, JobSource urlSource, JobPublisher imagePublisher,
            ImageFetcher fetcher, QueueProbe probe, GuardedPoster poster, ResultCache cache) {

        /** Parts without a result cache. */
        public Parts(BatchStore store, JobPublisher urlPublisher, JobSource urlSource, JobPublisher imagePublisher,
                ImageFetcher fetcher, QueueProbe probe, GuardedPoster poster) {
            this(store, urlPublisher, urlSource, imagePublisher, fetcher, probe, poster, null);
        }
    }

    private final Parts parts;
    private final BatchesHandler handler;
    private final BulkDownloads downloads;
    private final BacklogGate gate;
    private final ScheduledExecutorService probes;
    private final ScheduledExecutorService callbacks;
    private final Clock clock;

    private Bulk(BulkConfig config, Parts parts, Names names, int deliveryLimit, Duration downloadTimeout,
            long maxPixels, MeterRegistry registry, Clock clock) {
        this.parts = parts;
        this.clock = clock;
        BulkMetrics metrics = new BulkMetrics(registry);
        this.gate = new BacklogGate(parts.probe(), names.queue(TrafficClass.BULK), names.bulkUrlQueue(),
                config.backlogPerWorker());
        metrics.queueDepth("urls", gate::urlBacklog);
        metrics.queueDepth("images", gate::imageBacklog);
        metrics.gauge("tagger.bulk.gate.open", "1 while bulk downloads may start (image backlog below target)",
                () -> gate.isOpen() ? 1 : 0);
        this.handler = new BatchesHandler(new BatchParser(config.maxItems(), config.maxRequestBytes()),
                new BatchIntake(parts.store(), parts.urlPublisher(), config.retention(), clock), parts.store(),
                parts.urlPublisher(), parts.poster(), clock, metrics, config.retention());
        this.downloads = new BulkDownloads(new BulkDownloads.Parts(parts.urlSource(), parts.fetcher(),
                parts.imagePublisher(), parts.store(), gate,
                parts.cache() == null ? ResultCache.off(registry) : parts.cache()), new BulkDownloads.Limits(config.downloads(),
                config.perHost(), config.prefetch(), deliveryLimit, downloadTimeout, maxPixels),
                config.retryPolicy(), metrics, clock);
        this.probes = Executors.newSingleThreadScheduledExecutor(Threads.single("bulk-backlog"));
        this.callbacks = Executors.newSingleThreadScheduledExecutor(Threads.single("bulk-callbacks"));
        new CallbackSender(parts.store(), parts.poster(), config.callbackAttempts(), config.callbackRetryBase(),
                metrics, clock).start(callbacks);
    }

    /**
     * Starts the download stage, the backlog probe and the callback sender.
     *
     * @param deliveryLimit   the queues' delivery limit (an item gets an outcome before the broker drops it)
     * @param downloadTimeout total time limit of one download attempt
     * @param maxPixels       pixel cap checked from the image header before publishing
     */
    public static Bulk start(BulkConfig config, Parts parts, Names names, int deliveryLimit, Duration downloadTimeout,
            long maxPixels, MeterRegistry registry, Clock clock) {
        Bulk bulk = new Bulk(config, parts, names, deliveryLimit, downloadTimeout, maxPixels, registry, clock);
        bulk.gate.start(bulk.probes);
        bulk.downloads.start();
        return bulk;
    }

    /** Adds the batch endpoints. */
    public void routes(RoutesConfig routes) {
        handler.routes(routes);
    }

    public boolean isReady() {
        return parts.store().isReady() && parts.urlPublisher().isReady();
    }

    /**
     * Running migrations for the operator view: every batch not finished yet whose items are all queued,
     * with the counts, rate and ETA its own status shows.
     */
    public MigrationProgress migrations() {
        return () -> {
            long now = clock.millis();
            return parts.store().open().stream()
                    .filter(b -> b.items() > 0)
                    .map(b -> {
                        double rate = BatchView.rate(b, now);
                        return new MigrationProgress.Migration(b.id(), b.state().key(), b.items(), b.done(), b.failed(),
                                b.cancelled(), b.pending(), rate, BatchView.eta(b.pending(), rate), b.deadlineAt());
                    })
                    .toList();
        };
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
        downloads.close();
        gate.close();
        parts.urlPublisher().close();
        parts.poster().close();
        parts.store().close();
        if (parts.probe() instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a probe connection: nothing left to do about a failure
            }
        }
    }
}
