package tagger.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ModelRef;
import tagger.transport.JobSource;
import tagger.transport.PresenceBoard;
import tagger.transport.ResultStore;
import tagger.worker.inference.Device;
import tagger.worker.inference.OnnxTagger;
import tagger.worker.inference.WarmUp;
import tagger.worker.metrics.DutyCycle;
import tagger.worker.metrics.RecentActivity;
import tagger.worker.metrics.WorkerMetrics;
import tagger.worker.model.ModelDirectory;
import tagger.worker.model.ModelSpec;
import tagger.worker.pipeline.PipelineClock;
import tagger.worker.pipeline.WorkerPipeline;
import tagger.worker.postprocess.Postprocessor;
import tagger.worker.presence.WorkerHeartbeat;
import tagger.imaging.Preprocessor;
import tagger.worker.results.CacheEntries;
import tagger.worker.results.ResultWriter;

/**
 * A running ai-worker: model loaded, pipeline consuming, admin endpoints up. Wired by hand from a
 * config, a job source and a result store; {@link WorkerMain} passes RabbitMQ and Redis, the embedded
 * mode and tests pass others. Owns and closes everything it is given.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final WorkerConfig config;
    private final JobSource source;
    private final ResultStore store;
    private final WorkerPipeline pipeline;
    private final WorkerMetrics metrics;
    private final AdminServer admin;
    private final ModelRef model;
    private final String device;
    private final String jpegDecoder;
    private final PresenceBoard board;
    private final WorkerHeartbeat heartbeat;

    private Worker(WorkerConfig config, JobSource source, ResultStore store, PrometheusMeterRegistry registry,
            PresenceBoard board) {
        this.config = config;
        this.source = source;
        this.store = store;
        this.board = board;
        long startedAt = System.currentTimeMillis();
        ModelDirectory dir = ModelDirectory.load(config.modelDir());
        ModelSpec spec = dir.spec();
        this.model = new ModelRef(spec.name(), spec.version());
        OnnxTagger tagger = OnnxTagger.open(dir, new OnnxTagger.Options(Device.parse(config.device()),
                config.intraOpThreads()));
        this.device = tagger.device();
        this.metrics = new WorkerMetrics(registry, new DutyCycle(System::nanoTime, TimeUnit.SECONDS.toNanos(10)),
                new RecentActivity(WorkerHeartbeat.WINDOW_INTERVALS, System::nanoTime));
        CacheEntries cache = new CacheEntries(config.names(), model, spec.defaults().topK(),
                spec.defaults().minScore(), dir.labels().size(), spec.output().activation() != ModelSpec.Activation.NONE,
                config.cacheTtl());
        ResultWriter writer = new ResultWriter(store, cache, metrics, 4 * config.prefetch());
        Preprocessor preprocessor = new Preprocessor(spec.input().preprocess(), config.maxDecodePixels());
        WorkerPipeline.Options options = new WorkerPipeline.Options(config.maxBatch(),
                config.maxBatchWait().toNanos(), config.prefetch(), config.preprocessThreads(),
                config.maxDeliveries(), spec.defaults().topK(), spec.defaults().minScore(), config.bulkTopUp());
        this.pipeline = new WorkerPipeline(options, source, writer, tagger, preprocessor,
                new Postprocessor(spec.output().activation(), dir.labels()), model, preprocessor.tensorSize(),
                metrics, PipelineClock.SYSTEM, store::cancelledBatches);
        registry.gauge("tagger.worker.inflight", pipeline, WorkerPipeline::inFlight);
        // before the admin server: /readyz answers only once the first real batch will run warm
        double warmUp = WarmUp.run(tagger, preprocessor.tensorSize(), Math.min(config.maxBatch(), tagger.maxBatchSize()));
        registry.gauge("tagger.worker.warmup.seconds", warmUp, v -> v);
        Gauge.builder("tagger.worker.jpeg.decoder", () -> 1)
                .tag("decoder", preprocessor.jpegDecoder()).tag("pixels", preprocessor.pixels().fingerprint())
                .description("1, tagged with the JPEG decoder in use and the edge payload spec this worker takes")
                .register(registry);
        this.jpegDecoder = preprocessor.jpegDecoder();
        this.admin = AdminServer.start(config.adminHost(), config.adminPort(), registry, this::readiness);
        this.heartbeat = board == null ? null : new WorkerHeartbeat(board, new WorkerHeartbeat.Identity(
                config.workerId(), model, device, Math.min(config.maxBatch(), tagger.maxBatchSize()),
                config.preprocessThreads(), startedAt, preprocessor.jpegDecoder(), preprocessor.pixels().fingerprint()),
                metrics, pipeline::inFlight, Clock.systemUTC());
    }

    /** Loads the model, starts consuming and serves the admin endpoints; announces itself nowhere. */
    public static Worker start(WorkerConfig config, JobSource source, ResultStore store,
            PrometheusMeterRegistry registry) {
        return start(config, source, store, registry, null);
    }

    /**
     * Loads the model, starts consuming, serves the admin endpoints and announces itself on
     * {@code board} (owned from now on) every few seconds.
     */
    public static Worker start(WorkerConfig config, JobSource source, ResultStore store,
            PrometheusMeterRegistry registry, PresenceBoard board) {
        Worker worker = new Worker(config, source, store, registry, board);
        worker.pipeline.start();
        if (worker.heartbeat != null) {
            worker.heartbeat.start();
        }
        log.info("worker {} ready: model {} {} on {}, JPEG decoder {}, admin port {}", config.workerId(),
                worker.model.name(), worker.model.version(), worker.device, worker.jpegDecoder, worker.admin.port());
        return worker;
    }

    public static PrometheusMeterRegistry newRegistry() {
        return tagger.tracing.Exemplars.registry(tagger.tracing.TraceKit.current());
    }

    public int adminPort() {
        return admin.port();
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    public String device() {
        return device;
    }

    /** Which dependencies are reachable right now. */
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("queue", source.isReady());
        checks.put("results", store.isReady());
        return checks;
    }

    /**
     * Leaves the presence board, stops consuming, finishes what was received (up to 10 s), then
     * closes everything; jobs still unfinished go back to the queue for another worker.
     */
    @Override
    public void close() {
        int held = pipeline.inFlight();
        log.info("worker {} stopping: finishing {} job(s) in flight (grace 10 s)", config.workerId(), held);
        if (heartbeat != null) {
            heartbeat.close();
        }
        pipeline.close();
        log.info("worker {} stopped: {} of {} job(s) handed back to the queue", config.workerId(),
                pipeline.inFlight(), held);
        store.close();
        admin.close();
        if (board != null) {
            board.close();
        }
    }
}
