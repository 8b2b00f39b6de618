package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.models.DemoModel;
import tagger.fixtures.FaultProxy;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/** After a broker outage the api-server is back in business within about a second, not at its next long backoff. */
class BrokerRecoveryIT {
    /** The reconnect cap is 500 ms; the rest is one connect and a loaded machine. */
    private static final long RECOVERY_LIMIT_MS = 2_000;

    @Test
    void answersResumeSoonAfterTheBrokerIsReachableAgainEvenAfterALongOutage(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] png = SampleImages.png(SampleImages.solid(64, 64, new Color(30, 60, 220)));
        try (TestNamespace ns = TestNamespace.random();
                FaultProxy broker = FaultProxy.to(ns.rabbitUri());
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_RABBITMQ_URI", broker.uriFor(ns.rabbitUri()).toString()));
                Worker worker = TestStack.worker(ns, model, Map.of())) {
            String ready = "http://127.0.0.1:" + api.port() + "/readyz";
            assertEquals(200, Http.postBytes(TestStack.tagsUrl(api), png, "image/png").status());

            broker.refuseNew(true);
            broker.cutAll();
            TestStack.awaitTrue("the api-server sees the broker gone", Duration.ofSeconds(10),
                    () -> Http.get(ready).status() == 503);
            Http.Answer refused = Http.postBytes(TestStack.tagsUrl(api), png, "image/png");
            assertEquals(503, refused.status(), refused.raw().body());
            assertEquals("1", refused.header("Retry-After"));
            // an outage long enough for an uncapped doubling backoff to reach seconds between attempts
            Thread.sleep(4_000);

            broker.refuseNew(false);
            long back = System.nanoTime();
            Http.Answer ok;
            do {
                ok = Http.postBytes(TestStack.tagsUrl(api), png, "image/png");
            } while (ok.status() == 503 && System.nanoTime() - back < Duration.ofSeconds(10).toNanos());
            long recoveryMs = (System.nanoTime() - back) / 1_000_000;
            assertEquals(200, ok.status(), ok.raw().body());
            System.out.println("measured: broker recovery, first 200 after " + recoveryMs + " ms");
            assertTrue(recoveryMs < RECOVERY_LIMIT_MS, "first 200 " + recoveryMs + " ms after the broker was back");
        }
    }
}
