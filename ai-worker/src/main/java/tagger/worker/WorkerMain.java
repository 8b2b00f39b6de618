package tagger.worker;

import java.util.concurrent.CountDownLatch;
import tagger.tracing.TraceKit;
import tagger.tracing.Tracing;
import tagger.transport.rabbit.RabbitJobSource;
import tagger.transport.rabbit.RabbitTopology;
import tagger.transport.redis.RedisPresenceBoard;
import tagger.transport.redis.RedisResultStore;
import tagger.worker.model.InvalidModelException;

/** Starts an ai-worker against RabbitMQ and Redis, configured from {@code TAGGER_*} environment variables. */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Worker worker;
        try {
            TraceKit.install(Tracing.open("ai-worker"));
            worker = start(WorkerConfig.fromEnv(System.getenv()));
        } catch (IllegalArgumentException | InvalidModelException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            TraceKit.current().close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /** The production wiring: RabbitMQ job source, Redis result store. Tests reuse it. */
    public static Worker start(WorkerConfig config) {
        // every client declares the same topology; the worker's own delivery limit (config) stays within
        // the queue's x-delivery-limit backstop, so the worker gives up (with an error result) first
        RabbitJobSource source = new RabbitJobSource(config.rabbitUri(), new RabbitTopology(config.names(),
                RabbitTopology.DEFAULT_DELIVERY_LIMIT, config.queueMaxLengths()));
        RedisResultStore results = new RedisResultStore(config.redisUri(), config.names(), config.resultTtl(),
                RedisResultStore.DEFAULT_PING_INTERVAL, config.cacheRedisUri());
        return Worker.start(config, source, results, Worker.newRegistry(),
                new RedisPresenceBoard(config.redisUri(), config.names()));
    }
}
