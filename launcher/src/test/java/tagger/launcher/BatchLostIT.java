package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import tagger.api.ApiServer;
import tagger.launcher.bulk.BatchClient;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.RedisProcess;
import tagger.testkit.TestNamespace;

/**
 * The result store restarts WITHOUT its data (a Redis not configured for persistence): a batch that
 * had been accepted is reported {@code lost} with an error naming the cause, never a bare 404 or a
 * status that never moves — by any api-server when the server made its id up, by the accepting one
 * when the client chose it; a batch that merely expired (store intact) stays a plain 404.
 * Uses a redis-server of its own, never the shared one.
 */
class BatchLostIT {

    @Test
    void aBatchAcceptedBeforeTheStoreLostItsDataIsReportedLostAndAnExpiredOneStays404(@TempDir Path tmp)
            throws Exception {
        try (RedisProcess redis = RedisProcess.start(false);
                TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                // no worker: the batches stay running, as a long migration would
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_REDIS_URI", redis.uri().toString()))) {
            String base = "http://127.0.0.1:" + api.port();
            BatchClient client = new BatchClient(base);
            List<String> images = BulkFixture.tinyImages(origin);
            String doomed = submit(client, origin, images, "doomed", null);
            String chosen = submit(client, origin, images, "chosen", "chosen-" + UUID.randomUUID());
            String expired = submit(client, origin, images, "expired", "expired-" + UUID.randomUUID());
            assertEquals(200, client.status(doomed).status());

            // the second batch expires (its keys go, as at the end of its retention): the store itself is intact
            try (RedisClient r = RedisClient.create(redis.uri())) {
                r.keys(ns.names().batchKey(expired) + "*").forEach(r::del);
            }
            BatchClient.Answer gone = client.status(expired);
            assertEquals(404, gone.status(), gone.raw().body());
            assertEquals("not_found", gone.body().path("error").path("code").asText());

            redis.stop();
            redis.start(); // no append-only file: it comes back empty
            TestStack.awaitReady(base + "/readyz");

            BatchClient.Answer lost = client.status(doomed);
            assertEquals(410, lost.status(), lost.raw().body());
            assertEquals("lost", lost.body().path("status").asText(), lost.raw().body());
            assertEquals(doomed, lost.body().path("batchId").asText());
            assertEquals("batch_lost", lost.body().path("error").path("code").asText(), lost.raw().body());
            String message = lost.body().path("error").path("message").asText();
            assertTrue(message.contains("the result store lost its data") && message.contains("Resubmit"), message);
            Http.Answer results = Http.get(base + "/v1/batches/" + doomed + "/results");
            assertEquals(410, results.status(), results.raw().body());
            assertEquals("batch_lost", results.body().path("error").path("code").asText());
            assertEquals(410, client.cancel(doomed).status());
            assertEquals(410, client.status(chosen).status(), "a client's id: this server remembers accepting it");

            // an id this server never accepted is unknown, whatever happened to the store
            assertEquals(404, client.status("never-submitted").status());
            assertEquals(404, client.status(expired).status(), "expired before the loss: still a plain 404");

            // an api-server that never saw the batches (started after the loss, as behind a load balancer)
            try (ApiServer other = TestStack.api(ns, Map.of("TAGGER_REDIS_URI", redis.uri().toString()))) {
                BatchClient elsewhere = new BatchClient("http://127.0.0.1:" + other.port());
                BatchClient.Answer lostThere = elsewhere.status(doomed);
                assertEquals(410, lostThere.status(), "the id the server made up tells: " + lostThere.raw().body());
                assertEquals("batch_lost", lostThere.body().path("error").path("code").asText());
                assertEquals(404, elsewhere.status(chosen).status(), "a client's id is only known where it was accepted");
                assertEquals(404, elsewhere.status(expired).status());
                assertEquals(404, elsewhere.status("never-submitted").status());
            }

            // a batch accepted after the loss lives under the new epoch
            String fresh = submit(client, origin, images, "fresh", null);
            TestStack.awaitTrue("the fresh batch is readable", Duration.ofSeconds(10),
                    () -> statusOf(client, fresh) == 200);
        }
    }

    /** @param batchId the id the client chooses, or null to let the server make one up */
    private static String submit(BatchClient client, ImageOrigin origin, List<String> images, String prefix,
                                 String batchId) throws Exception {
        Map<String, String> items = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            items.put(prefix + "-" + i, origin.url(images.get(i)));
        }
        BatchClient.Answer a = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null,
                batchId == null ? null : "batchId=" + batchId);
        assertEquals(202, a.status(), a.raw().body());
        String id = a.body().path("batchId").asText();
        if (batchId != null) {
            assertEquals(batchId, id);
        }
        return id;
    }

    private static int statusOf(BatchClient client, String id) {
        try {
            return client.status(id).status();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
