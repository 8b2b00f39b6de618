package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.testkit.RedisSentinels;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * A stack given a {@code redis-sentinel://} URI answers again once Sentinel has promoted a replica of
 * a killed master, with no restart: the api-server's and the worker's Redis clients follow the new
 * master. First with requests one at a time, so none is in flight when the master dies (what was not
 * replicated yet would be lost, see docs/deploy.md); then under load, where requests waiting when
 * the master dies are refused {@code 503} and retried, never left to their deadline. The time to the
 * first answer is printed.
 */
class RedisFailoverIT {
    private static final long GIVE_UP_S = 90;

    @Test
    void answersResumeOnThePromotedReplicaAfterTheMasterIsKilled(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (RedisSentinels redis = RedisSentinels.start(3);
                TestNamespace ns = TestNamespace.random()) {
            Map<String, String> env = Map.of("TAGGER_REDIS_URI", redis.uri().toString(), "TAGGER_CACHE", "false");
            try (Worker worker = TestStack.worker(ns, model, env);
                    ApiServer api = TestStack.api(ns, env)) {
                for (int i = 0; i < 5; i++) {
                    Http.Answer a = post(api, i);
                    assertEquals(200, a.status(), a.raw().body());
                }
                long killedAt = System.nanoTime();
                redis.killMaster();
                int refused = 0;
                Http.Answer a = post(api, 100);
                while (a.status() != 200 && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(GIVE_UP_S)) {
                    assertEquals(503, a.status(), "while the master is gone requests are refused, not lost: "
                            + a.raw().body());
                    refused++;
                    Thread.sleep(100);
                    a = post(api, 100 + refused);
                }
                long firstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                assertEquals(200, a.status(), "no answer " + GIVE_UP_S + " s after the master was killed: "
                        + a.raw().body());
                for (int i = 0; i < 10; i++) {
                    Http.Answer after = post(api, 1_000 + i);
                    assertEquals(200, after.status(), after.raw().body());
                }
                System.out.println("measured: Redis master killed (3 sentinels, down-after 1 s), first 200 after "
                        + firstMs + " ms, " + refused + " requests refused 503 before it, 10 of 10 answered after");
            }
        }
    }

    @Test
    void underLoadEveryRequestIsAnsweredOnceAcrossTheFailover(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            images.add(SampleImages.png(SampleImages.solid(40, 40, new Color(i * 15, 90, 255 - i * 15))));
        }
        try (RedisSentinels redis = RedisSentinels.start(3);
                TestNamespace ns = TestNamespace.random()) {
            // a request left waiting for a result that never comes would end 504 at its deadline: lost
            Map<String, String> env = Map.of("TAGGER_REDIS_URI", redis.uri().toString(), "TAGGER_CACHE", "false",
                    "TAGGER_TIMEOUT_MS", "60000", "TAGGER_MAX_TIMEOUT_MS", "60000");
            try (Worker worker = TestStack.worker(ns, model, env);
                    ApiServer api = TestStack.api(ns, env);
                    ClosedLoopLoad load = new ClosedLoopLoad(TestStack.tagsUrl(api), images, 4, 100, 3_000)) {
                TestStack.awaitTrue("40 answers before the kill", Duration.ofSeconds(120), () -> load.answered() >= 40);
                load.fault();
                redis.killMaster();
                assertTrue(load.await(GIVE_UP_S + ClosedLoopLoad.RETRY_FOR_S), "the load finished: "
                        + load.answered() + " answered, " + load.answeredAfterFault() + " of them sent after the kill");
                ClosedLoopLoad.Summary summary = load.assertEveryRequestAnsweredOnce();
                System.out.println("measured: Redis master killed under load (4 closed-loop clients), "
                        + summary.requests() + " requests, 0 lost, 0 duplicate; first answer to a request sent after "
                        + "the kill " + summary.firstAnswerAfterFaultMs()
                        + " ms after it; longest time without any answer " + load.longestSilenceMs(load.faultAt()) + " ms; "
                        + summary.retries() + " retries; refused: " + load.refusedCounts());
            }
        }
    }

    private static Http.Answer post(ApiServer api, int i) {
        byte[] png = SampleImages.png(SampleImages.solid(40, 40, new Color((i * 37) % 256, (i * 11) % 256, 128)));
        return Http.postBytes(TestStack.tagsUrl(api), png, "image/png");
    }
}
