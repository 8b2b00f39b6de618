package tagger.launcher.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.TagResult;
import tagger.fixtures.ScratchNamespace;
import tagger.launcher.ServiceEnv;
import tagger.transport.ResultFeed;
import tagger.transport.rabbit.RabbitJobPublisher;
import tagger.transport.rabbit.RabbitTopology;
import tagger.transport.redis.RedisResultStore;
import tagger.worker.Worker;
import tagger.worker.WorkerConfig;
import tagger.worker.WorkerMain;
import tagger.worker.metrics.DutyCycle;

/**
 * One real worker (the production wiring of {@link WorkerMain}) fed from a RabbitMQ queue that was
 * filled, with confirms, before it started. Measures how fast its results reach Redis once it runs
 * and its own inference duty cycle over the same window. Each run uses a fresh namespace whose
 * queues and keys are deleted afterwards.
 */
final class QueuedWorkerRun {
    private static final long SETUP_TIMEOUT_MS = 20_000;
    /** The name WorkerPipeline gives its inference thread. */
    private static final String INFERENCE_THREAD = "inference";

    /** The worker settings a run varies; prefetch is 2 × maxBatch (at least 8), the worker's default. */
    record Settings(int maxBatch, int intraOpThreads, int preprocessThreads, String device) {
        Settings(int maxBatch, int intraOpThreads, int preprocessThreads) {
            this(maxBatch, intraOpThreads, preprocessThreads, "cpu");
        }

        int prefetch() {
            return Math.max(2 * maxBatch, 8);
        }
    }

    private QueuedWorkerRun() {
    }

    /**
     * Queues {@code warmup + measured} jobs cycling through {@code images}, starts the worker, waits
     * for every result and returns the window after the first {@code warmup} images.
     */
    static BatchArrivals.Window run(Path modelDir, Settings settings, List<byte[]> images, int warmup,
            int measured, long timeoutMs) {
        return run(modelDir, settings, images, "image/jpeg", warmup, measured, timeoutMs);
    }

    /** As above, for messages of {@code contentType}: originals, or edge payloads as an api-server publishes them. */
    static BatchArrivals.Window run(Path modelDir, Settings settings, List<byte[]> images, String contentType,
            int warmup, int measured, long timeoutMs) {
        int total = warmup + measured;
        BatchArrivals arrivals = new BatchArrivals();
        try (ScratchNamespace ns = BenchNamespace.create()) {
            Recorder recorder = new Recorder(arrivals);
            String instance = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            try (RedisResultStore feed = new RedisResultStore(ns.redisUri(), ns.names())) {
                feed.subscribe(instance, recorder);
                await(recorder.subscribed, "the Redis subscription");
                fill(ns, instance, images, contentType, total);
                Map<String, String> env = ServiceEnv.services(ns);
                env.putAll(ServiceEnv.loopback(0));
                env.put("TAGGER_MODEL_DIR", modelDir.toString());
                env.put("TAGGER_DEVICE", settings.device());
                env.put("TAGGER_MAX_BATCH", Integer.toString(settings.maxBatch()));
                env.put("TAGGER_PREFETCH", Integer.toString(settings.prefetch()));
                env.put("TAGGER_INTRA_OP_THREADS", Integer.toString(settings.intraOpThreads()));
                env.put("TAGGER_PREPROCESS_THREADS", Integer.toString(settings.preprocessThreads()));
                try (Worker worker = WorkerMain.start(WorkerConfig.fromEnv(env))) {
                    recorder.inferenceThread = ThreadCpu.find(INFERENCE_THREAD);
                    recorder.dutyCycle = worker.metrics().dutyCycle();
                    waitFor(() -> arrivals.results() >= total, timeoutMs, () -> "the worker stored "
                            + arrivals.results() + " of " + total + " results within " + timeoutMs + " ms");
                }
            }
        }
        if (arrivals.failures() > 0) {
            throw new IllegalStateException(arrivals.failures() + " of " + total + " jobs failed, first: "
                    + arrivals.firstFailure());
        }
        return arrivals.after(warmup);
    }

    /** Publishes the jobs and waits until the broker confirmed every one. */
    private static void fill(ScratchNamespace ns, String replyTo, List<byte[]> images, String contentType, int total) {
        try (RabbitJobPublisher publisher = new RabbitJobPublisher(ns.rabbitUri(),
                RabbitTopology.defaults(ns.names()))) {
            waitFor(publisher::isReady, SETUP_TIMEOUT_MS, () -> "RabbitMQ publisher not ready");
            List<CompletableFuture<Void>> confirms = new ArrayList<>(total);
            long now = System.currentTimeMillis();
            for (int i = 0; i < total; i++) {
                // no deadline (0): a pre-queued job must not expire while the worker works through the queue
                JobMeta meta = JobMeta.realtime(UUID.randomUUID().toString(), replyTo, now, 0, null, null, null);
                confirms.add(publisher.publish(new ImageJob(meta, contentType, images.get(i % images.size()))));
            }
            CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("queueing " + total + " benchmark jobs failed: " + e, e);
        }
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(SETUP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(what + " was not ready within " + SETUP_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void waitFor(BooleanSupplier condition, long timeoutMs, java.util.function.Supplier<String> why) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(why.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Notes when each result arrives and how much inference time the worker had spent by then. */
    private static final class Recorder implements ResultFeed.Listener {
        final CountDownLatch subscribed = new CountDownLatch(1);
        final BatchArrivals arrivals;
        volatile DutyCycle dutyCycle;
        volatile ThreadCpu inferenceThread;

        Recorder(BatchArrivals arrivals) {
            this.arrivals = arrivals;
        }

        @Override
        public void onResult(TagResult result) {
            long now = System.nanoTime();
            DutyCycle d = dutyCycle;
            ThreadCpu cpu = inferenceThread;
            if (result.failed()) {
                arrivals.failed(result.error().code() + ": " + result.error().message());
                return;
            }
            BatchArrivals.Snapshot at = new BatchArrivals.Snapshot(now, d == null ? Double.NaN : d.busySeconds(),
                    cpu == null ? Double.NaN : cpu.seconds());
            arrivals.add(at, result.timings().inference(), result.timings().preprocess(),
                    result.timings().batchSize());
        }

        @Override
        public void onSubscribed() {
            subscribed.countDown();
        }
    }
}
