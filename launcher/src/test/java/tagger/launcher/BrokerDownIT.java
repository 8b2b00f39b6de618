package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.api.ApiServer;
import tagger.testkit.TestNamespace;

/** Broker trouble means 503 at once, never a hang. */
class BrokerDownIT {

    @Test
    void anUnreachableBrokerGives503QuicklyAndReadyzSaysWhy() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.unreadyApi(ns, Map.of("TAGGER_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:1"))) {
            long start = System.nanoTime();
            Http.Answer a = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"http://127.0.0.1:9/a.jpg\"}");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, a.status(), a.raw().body());
            assertEquals("unavailable", a.body().path("error").path("code").asText());
            assertTrue(tookMs < 2_000, "answered in " + tookMs + " ms");
            Http.Answer ready = Http.get("http://127.0.0.1:" + api.port() + "/readyz");
            assertEquals(503, ready.status());
            assertEquals(false, ready.body().path("checks").path("queue").asBoolean());
            assertEquals(true, ready.body().path("checks").path("results").asBoolean());
        }
    }
}
