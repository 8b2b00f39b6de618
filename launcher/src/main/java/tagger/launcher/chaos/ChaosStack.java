package tagger.launcher.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tagger.launcher.LocalStack;
import tagger.loadtest.origin.OriginServer;
import tagger.loadtest.origin.Photo;
import tagger.loadtest.origin.PhotoCorpus;
import tagger.models.DemoModel;
import tagger.fixtures.FaultProxy;
import tagger.fixtures.RedisProcess;
import tagger.fixtures.ScratchNamespace;
import tagger.launcher.bench.BenchNamespace;

/**
 * The stack under test: one api-server and N worker processes (as {@code ./tagger up} runs them), a
 * redis-server of its own with the shipped persistence (AOF everysec) that faults stop, wipe and start,
 * and the shared RabbitMQ reached only through a {@link FaultProxy} that faults refuse and cut — the
 * shared services themselves are never touched. Plus the image origins: healthy (127.0.0.1) and hanging
 * (127.0.0.2). Everything lives in a random namespace, deleted from the shared broker on close.
 */
final class ChaosStack implements AutoCloseable {
    /** Small photos: the experiments are about faults, not about decode time. */
    static final Photo PHOTO = Photo.parse("320x240.jpg");
    /** Larger ones for the bulk batch, so that a worker can be killed in the middle of it. */
    static final Photo BULK_PHOTO = Photo.parse("1920x1080.jpg");

    final ScratchNamespace namespace;
    final RedisProcess redis;
    final FaultProxy broker;
    final OriginServer origin;
    final HangingHost hanging;
    final LocalStack stack;
    final int workers;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ChaosStack(ScratchNamespace namespace, RedisProcess redis, FaultProxy broker, OriginServer origin,
            HangingHost hanging, LocalStack stack, int workers) {
        this.namespace = namespace;
        this.redis = redis;
        this.broker = broker;
        this.origin = origin;
        this.hanging = hanging;
        this.stack = stack;
        this.workers = workers;
    }

    /**
     * Starts everything and waits until the api-server and every worker are ready.
     *
     * @param deadlineMs the api-server's request deadline ({@code TAGGER_TIMEOUT_MS})
     */
    static ChaosStack start(int workers, long deadlineMs, Path dir, PrintStream console) throws IOException {
        ScratchNamespace ns = BenchNamespace.create();
        RedisProcess redis = null;
        FaultProxy broker = null;
        OriginServer origin = null;
        HangingHost hanging = null;
        try {
            redis = RedisProcess.start(true);
            broker = FaultProxy.to(ns.rabbitUri());
            PhotoCorpus corpus = new PhotoCorpus(2, 7);
            corpus.prepare(List.of(PHOTO, BULK_PHOTO));
            origin = OriginServer.start("127.0.0.1", 0, corpus);
            hanging = new HangingHost();
            Path model = dir.resolve("model");
            DemoModel.write(model);
            Map<String, String> env = Map.of(
                    "TAGGER_RABBITMQ_URI", broker.uriFor(ns.rabbitUri()).toString(),
                    "TAGGER_REDIS_URI", redis.uri().toString(),
                    "TAGGER_ALLOW_PRIVATE_NETWORKS", "true",
                    "TAGGER_TIMEOUT_MS", Long.toString(deadlineMs),
                    // a smaller download pool than the default 64, so that the hanging host reaches its share
                    // (3/4: 24) under this load, while the healthy origin's downloads fit beside it
                    "TAGGER_DOWNLOAD_MAX_CONCURRENT", "32",
                    // unique images anyway; no cache hit may hide a fault
                    "TAGGER_CACHE", "false",
                    "TAGGER_LOG_LEVEL", System.getenv().getOrDefault("TAGGER_LOG_LEVEL", "INFO"));
            LocalStack stack = LocalStack.start(new LocalStack.Plan(1, workers, model, 0, ns.names().namespace(), env),
                    dir.resolve("logs"), console);
            return new ChaosStack(ns, redis, broker, origin, hanging, stack, workers);
        } catch (IOException | RuntimeException e) {
            closeAll(hanging, origin, broker, redis, ns);
            throw e;
        }
    }

    String url() {
        return stack.url();
    }

    /** A unique URL on the healthy origin; {@code tag} keeps experiments apart. */
    String imageUrl(Photo photo, String tag, long index) {
        return origin.baseUrl() + "/photo/" + photo.width() + "x" + photo.height() + "/" + tag + "-" + index + "."
                + photo.format().extension();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return; // once: on the normal path, or from the Ctrl-C hook
        }
        closeAll(stack, hanging, origin, broker, redis, namespace);
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable p : parts) {
            if (p == null) {
                continue;
            }
            try {
                p.close();
            } catch (Exception e) {
                System.err.println("chaos: closing " + p.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }
}
