package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.launcher.bulk.BatchClient;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;

/**
 * A migration with a finishing target, against the real supervisor: the recommended worker count is
 * what the formula gives for the batch's pending items, time left and the measured per-worker rate;
 * scaled to it with {@code ./tagger scale workers}, the batch finishes within its target.
 *
 * <p>Sizing, for a noisy 2-core machine shared with other builds: the per-worker rate r is measured
 * first (a warm-up batch, 25 s: the workers' rate window is 20 s), then the batch is sized to need
 * 1.5 workers at the planned utilisation (N = 1.5 · ρ · r · T), so the recommendation is 2 (3 if r
 * reads lower by then). The finish may run up to {@link #TOLERANCE} of T late: the two workers then
 * need about 0.8 r together, since a second worker on two busy cores adds far less than a second core.
 */
class MigrationTargetIT {
    static final int TARGET_SECONDS = 90;
    /** Lateness allowed past the deadline, as a share of the target (docs/deploy.md, "Scaling for a migration"). */
    static final double TOLERANCE = 0.5;
    private static final int IMAGES = 8;

    @Test
    void aBatchWithATargetRaisesTheRecommendationAndFinishesInTimeOnceScaledToIt(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                LocalStack stack = LocalStack.start(new LocalStack.Plan(1, 1, model, 0, ns.names().namespace(),
                        TestStack.env(ns, Map.of("TAGGER_ALLOW_PRIVATE_NETWORKS", "true", "TAGGER_MAX_BATCH", "4",
                                "TAGGER_PREPROCESS_THREADS", "1", "TAGGER_INTRA_OP_THREADS", "1",
                                // 8 photos under thousands of URLs: without the result cache each one reaches a worker
                                "TAGGER_CACHE", "false"))),
                        tmp.resolve("logs"), System.out);
                ControlServer control = ControlServer.start(stack)) {
            Path file = tmp.resolve("stack.json");
            new StackFile(ProcessHandle.current().pid(), stack.url(), control.url(), control.token(),
                    ns.names().namespace(), System.currentTimeMillis()).write(file);
            StackFile recorded = StackFile.read(file).orElseThrow();
            for (int i = 0; i < IMAGES; i++) {
                // decode-heavy photos: the worker, not the download stage, is the bottleneck
                origin.put("/p" + i + ".jpg", SampleImages.jpeg(SampleImages.photoLike(1024, 768, i), 0.9f), "image/jpeg");
            }
            BatchClient client = new BatchClient(stack.url());

            // 1. the per-worker rate, measured by the cluster view while one worker is kept busy
            String warmUp = submit(client, origin, "warm", 20_000, null);
            long busySince = System.currentTimeMillis();
            JsonNode[] measured = new JsonNode[1];
            TestStack.awaitTrue("one worker has been busy for a whole rate window", Duration.ofSeconds(90), () -> {
                measured[0] = cluster(stack.url()).path("recommendation");
                return System.currentTimeMillis() - busySince > 25_000 && measured[0].path("basis").asText()
                        .startsWith("measured") && measured[0].path("perWorkerImagesPerSecond").asDouble() > 0;
            });
            double r0 = measured[0].path("perWorkerImagesPerSecond").asDouble();
            double rho = measured[0].path("targetUtilisation").asDouble();

            // 2. a batch that needs 1.5 workers to finish within its target; submitted before the warm-up is
            // cancelled, so that the worker never idles (an idle stretch in its window would lower r for 20 s)
            int n = (int) Math.ceil(1.5 * rho * r0 * TARGET_SECONDS);
            String batchId = submit(client, origin, "m", n, TARGET_SECONDS);
            assertEquals(200, client.cancel(warmUp).status());
            JsonNode[] seen = new JsonNode[1];
            TestStack.awaitTrue("the recommendation plans for the batch at the measured rate", Duration.ofSeconds(60),
                    () -> {
                        seen[0] = cluster(stack.url());
                        JsonNode a = seen[0].path("recommendation");
                        JsonNode plan = a.path("migrations");
                        return plan.size() == 1 && plan.get(0).path("id").asText().equals(batchId)
                                && a.path("basis").asText().startsWith("measured")
                                && Math.abs(a.path("perWorkerImagesPerSecond").asDouble() - r0) <= 0.25 * r0;
                    });
            JsonNode s = seen[0];
            JsonNode advice = s.path("recommendation");
            long deadline = Instant.parse(client.status(batchId).body().path("deadline").asText()).toEpochMilli();
            int predicted = predict(s, deadline);
            int recommended = advice.path("workers").asInt();
            System.out.printf("migration target: r0=%.1f img/s, N=%d, T=%d s; snapshot r=%.1f → predicted %d, "
                    + "recommended %d (%s)%n", r0, n, TARGET_SECONDS, advice.path("perWorkerImagesPerSecond").asDouble(),
                    predicted, recommended, advice.path("explanation").asText());
            System.out.print(StatusTable.render(stack.url(), s));
            assertEquals(predicted, recommended, advice.toString());
            assertTrue(recommended >= 2, "the migration raised the recommendation above one worker: " + advice);
            assertEquals("drainAndMigrations", advice.path("decidedBy").asText());
            assertEquals("deadline", advice.path("migrations").get(0).path("target").asText());

            // 3. scaled as advised, the batch finishes within its target (± the tolerance)
            ScaleCommand.scale(recorded, recommended);
            JsonNode done = BulkFixture.awaitComplete(client, batchId, (long) (TARGET_SECONDS * 3_000L));
            long finished = Instant.parse(done.path("finishedAt").asText()).toEpochMilli();
            long created = Instant.parse(done.path("createdAt").asText()).toEpochMilli();
            System.out.printf("migration target: %d items finished in %.1f s with %d worker(s), target %d s%n", n,
                    (finished - created) / 1000.0, recommended, TARGET_SECONDS);
            assertEquals(n, done.path("done").asLong(), done.toString());
            assertTrue(finished <= deadline + (long) (TOLERANCE * TARGET_SECONDS * 1000),
                    "finished " + (finished - deadline) + " ms after the deadline; allowed " + TOLERANCE + " × T: " + done);
        }
    }

    /** The formula of docs/deploy.md, from the inputs the snapshot itself reports. */
    static int predict(JsonNode s, long deadlineAt) {
        JsonNode a = s.path("recommendation");
        double capacity = a.path("targetUtilisation").asDouble() * a.path("perWorkerImagesPerSecond").asDouble();
        double t = a.path("targetDrainSeconds").asDouble();
        double slo = a.path("realtimeQueueSloSeconds").asDouble();
        double arrivalRt = a.path("arrival").path("realtime").asDouble();
        long backlogRt = a.path("backlog").path("realtime").asLong();
        long backlogBulk = a.path("backlog").path("bulk").asLong();
        long pending = 0;
        double migrations = 0;
        for (JsonNode m : s.path("migrations")) {
            if (!m.path("status").asText().equals("cancelled")) {
                double left = Math.max(10, (deadlineAt - s.path("at").asLong()) / 1000.0);
                pending += m.path("pending").asLong();
                migrations += m.path("pending").asLong() / left;
            }
        }
        double drain = arrivalRt + backlogRt / t + migrations + Math.max(0, backlogBulk - pending) / t;
        int forDrain = (int) Math.ceil(drain / capacity - 1e-9);
        int forRealtime = (int) Math.ceil((arrivalRt + backlogRt / slo) / capacity - 1e-9);
        return Math.max(a.path("minWorkers").asInt(), Math.max(forDrain, forRealtime));
    }

    private static String submit(BatchClient client, ImageOrigin origin, String prefix, int n, Integer targetSeconds)
            throws Exception {
        Map<String, String> items = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            items.put(prefix + "-" + i, origin.url("/p" + (i % IMAGES) + ".jpg"));
        }
        BatchClient.Answer a = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null,
                targetSeconds == null ? null : "targetSeconds=" + targetSeconds);
        assertEquals(202, a.status(), a.raw().body());
        return a.body().path("batchId").asText();
    }

    private static JsonNode cluster(String url) {
        return Http.get(url + "/v1/cluster").body();
    }
}
