package tagger.api.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ImageJob;
import tagger.common.Threads;
import tagger.imaging.EdgePayload;
import tagger.imaging.EdgePayloads;
import tagger.imaging.EdgePreprocessor;
import tagger.imaging.PixelSpec;
import tagger.imaging.TurboJpeg;
import tagger.imaging.UndecodableImageException;
import tagger.transport.JobPublisher;

/**
 * A {@link JobPublisher} that preprocesses images at the edge before handing them on: the original
 * is decoded, resized and cropped for the serving workers' {@link PixelSpec} on a bounded pool of
 * its own ("edge-&lt;name&gt;" threads) and published as a compact payload. Whenever that cannot or
 * should not happen — spec unknown, pool full, image undecodable here (the worker then gives its
 * own verdict), payload not smaller in {@code auto} — the original goes out unchanged, so the edge
 * can only move work, never lose an image. Owns its pool and the wrapped publisher.
 */
public final class EdgePublisher implements JobPublisher {
    private static final Logger log = LoggerFactory.getLogger(EdgePublisher.class);

    private final JobPublisher delegate;
    private final ServingPixels pixels;
    private final PreprocessAt at;
    private final TurboJpeg turbo;
    private final long maxPixels;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final Metrics metrics;
    private volatile EdgePreprocessor preprocessor;

    /**
     * @param name  names the threads and tags the metrics ({@code realtime}, {@code bulk})
     * @param turbo libjpeg-turbo, or null when it is not loaded here
     */
    public EdgePublisher(String name, JobPublisher delegate, ServingPixels pixels, EdgeConfig config, TurboJpeg turbo,
            long maxPixels, MeterRegistry registry, Clock clock) {
        this.delegate = delegate;
        this.pixels = pixels;
        this.at = config.at();
        this.turbo = turbo;
        this.maxPixels = maxPixels;
        this.clock = clock;
        this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queue()), Threads.named("edge-" + name),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.metrics = new Metrics(registry, name, at, turbo);
        log.info("edge preprocessing for {}: TAGGER_PREPROCESS_AT={}, JPEG decoder {}, {} threads", name,
                at.name().toLowerCase(Locale.ROOT), turbo == null ? "imageio" : "turbojpeg", config.threads());
    }

    /** Whether and for which spec originals are being preprocessed here right now; for /v1/cluster. */
    public String describe() {
        if (at == PreprocessAt.WORKER) {
            return "off (TAGGER_PREPROCESS_AT=worker)";
        }
        if (at == PreprocessAt.AUTO && turbo == null) {
            return "off (auto needs libturbojpeg here)";
        }
        return pixels.describe();
    }

    @Override
    public CompletableFuture<Void> publish(ImageJob job) {
        Optional<PixelSpec> spec = at == PreprocessAt.WORKER || (at == PreprocessAt.AUTO && turbo == null)
                || EdgePayloads.isPayload(job.contentType()) ? Optional.empty() : pixels.current();
        if (spec.isEmpty()) {
            metrics.original("no_spec");
            return delegate.publish(job);
        }
        CompletableFuture<ImageJob> prepared;
        try {
            prepared = CompletableFuture.supplyAsync(() -> prepare(job, spec.get()), pool);
        } catch (RejectedExecutionException e) {
            metrics.original("busy"); // the edge is saturated: the workers decode this one
            return delegate.publish(job);
        }
        return prepared.thenCompose(delegate::publish);
    }

    private ImageJob prepare(ImageJob job, PixelSpec spec) {
        try {
            EdgePayload payload = preprocessorFor(spec).preprocess(job.body());
            if (at == PreprocessAt.AUTO && payload.body().length >= job.body().length) {
                metrics.original("smaller");
                return job;
            }
            metrics.edge(payload);
            return new ImageJob(job.meta().withEdgeMs(payload.totalMillis()).withEnqueuedAt(clock.millis()),
                    payload.contentType(), payload.body());
        } catch (UndecodableImageException | RuntimeException e) {
            metrics.original("undecodable");
            return job;
        }
    }

    private EdgePreprocessor preprocessorFor(PixelSpec spec) {
        EdgePreprocessor p = preprocessor;
        if (p == null || !p.spec().equals(spec)) {
            p = new EdgePreprocessor(spec, maxPixels, turbo);
            preprocessor = p;
        }
        return p;
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delegate.close();
    }

    /** What the edge did: images preprocessed (with payload size and time) and originals sent, by reason. */
    private static final class Metrics {
        private final MeterRegistry registry;
        private final String name;
        private final Timer time;
        private final DistributionSummary bytes;
        private final Counter edge;

        Metrics(MeterRegistry registry, String name, PreprocessAt at, TurboJpeg turbo) {
            this.registry = registry;
            this.name = name;
            this.time = Timer.builder("tagger.api.edge.preprocess").tag("class", name)
                    .description("decode, resize and encode one image at the edge").register(registry);
            this.bytes = DistributionSummary.builder("tagger.api.edge.payload.bytes").tag("class", name).baseUnit("bytes")
                    .description("size of the published pixel payloads").register(registry);
            this.edge = Counter.builder("tagger.api.edge.images").tag("class", name).tag("sent", "payload")
                    .tag("reason", "edge").register(registry);
            Gauge.builder("tagger.api.jpeg.decoder", () -> 1).tag("class", name)
                    .tag("decoder", turbo == null ? "imageio" : "turbojpeg")
                    .tag("preprocess_at", at.name().toLowerCase(Locale.ROOT))
                    .description("1, tagged with the JPEG decoder and TAGGER_PREPROCESS_AT in use").register(registry);
        }

        void edge(EdgePayload payload) {
            edge.increment();
            time.record((long) (payload.totalMillis() * 1e6), TimeUnit.NANOSECONDS);
            bytes.record(payload.body().length);
        }

        void original(String reason) {
            Counter.builder("tagger.api.edge.images").tag("class", name).tag("sent", "original").tag("reason", reason)
                    .register(registry).increment();
        }
    }
}
