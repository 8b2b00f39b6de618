package tagger.worker;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ModelRef;
import tagger.transport.JobSource;
import tagger.transport.ResultStore;
import tagger.worker.inference.Device;
import tagger.worker.inference.OnnxTagger;
import tagger.worker.metrics.DutyCycle;
import tagger.worker.metrics.WorkerMetrics;
import tagger.worker.model.ModelDirectory;
import tagger.worker.model.ModelSpec;
import tagger.worker.pipeline.WorkerPipeline;
import tagger.worker.postprocess.Postprocessor;
import tagger.worker.preprocess.Preprocessor;
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

    private Worker(WorkerConfig config, JobSource source, ResultStore store, PrometheusMeterRegistry registry) {
        this.config = config;
        this.source = source;
        this.store = store;
        ModelDirectory dir = ModelDirectory.load(config.modelDir());
        ModelSpec spec = dir.spec();
        this.model = new ModelRef(spec.name(), spec.version());
        OnnxTagger tagger = OnnxTagger.open(dir, new OnnxTagger.Options(Device.parse(config.device()),
                config.intraOpThreads()));
        this.device = tagger.device();
        this.metrics = new WorkerMetrics(registry, new DutyCycle(System::nanoTime, TimeUnit.SECONDS.toNanos(10)));
        ResultWriter writer = new ResultWriter(store, metrics, 4 * config.prefetch());
        Preprocessor preprocessor = new Preprocessor(spec.input(), config.maxDecodePixels());
        WorkerPipeline.Options options = new WorkerPipeline.Options(config.maxBatch(),
                config.maxBatchWait().toNanos(), config.prefetch(), config.preprocessThreads(),
                config.maxDeliveries(), spec.defaults().topK(), spec.defaults().minScore(), config.bulkTopUp());
        this.pipeline = new WorkerPipeline(options, source, writer, tagger, preprocessor,
                new Postprocessor(spec.output().activation(), dir.labels()), model, preprocessor.tensorSize(),
                metrics, Clock.systemUTC(), store::cancelledBatches);
        registry.gauge("tagger.worker.inflight", pipeline, WorkerPipeline::inFlight);
        this.admin = AdminServer.start(config.adminHost(), config.adminPort(), registry, this::readiness);
    }

    /** Loads the model, starts consuming and serves the admin endpoints. */
    public static Worker start(WorkerConfig config, JobSource source, ResultStore store,
            PrometheusMeterRegistry registry) {
        Worker worker = new Worker(config, source, store, registry);
        worker.pipeline.start();
        log.info("worker {} ready: model {} {} on {}, admin port {}", config.workerId(), worker.model.name(),
                worker.model.version(), worker.device, worker.admin.port());
        return worker;
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
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

    /** Stops consuming, finishes what was received (up to 10 s), closes everything. */
    @Override
    public void close() {
        log.info("worker {} stopping", config.workerId());
        pipeline.close();
        store.close();
        admin.close();
    }
}
