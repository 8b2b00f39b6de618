package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.api.ApiServer;
import tagger.testkit.TestNamespace;

/** Broker trouble means 503 at once, never a hang. */
class BrokerDownIT {
    /** The request's deadline: a server that waited for the broker instead of refusing would answer only then. */
    private static final int DEADLINE_MS = 60_000;

    @Test
    void anUnreachableBrokerGives503QuicklyAndReadyzSaysWhy() throws Exception {
        try (TestNamespace ns = TestNamespace.random();
                ApiServer api = TestStack.unreadyApi(ns, Map.of("TAGGER_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:1",
                        "TAGGER_TIMEOUT_MS", Integer.toString(DEADLINE_MS)))) {
            long start = System.nanoTime();
            Http.Answer a = Http.postJson(TestStack.tagsUrl(api), "{\"url\": \"http://127.0.0.1:9/a.jpg\"}");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, a.status(), a.raw().body());
            assertEquals("unavailable", a.body().path("error").path("code").asText());
            assertEquals("the queue is not reachable right now; retry later", a.body().path("error").path("message").asText());
            assertTrue(tookMs < DEADLINE_MS / 2, "refused without waiting for the " + DEADLINE_MS
                    + " ms deadline: answered in " + tookMs + " ms");
            Http.Answer ready = Http.get("http://127.0.0.1:" + api.port() + "/readyz");
            assertEquals(503, ready.status());
            assertEquals(false, ready.body().path("checks").path("queue").asBoolean());
            assertEquals(true, ready.body().path("checks").path("results").asBoolean());
        }
    }
}
