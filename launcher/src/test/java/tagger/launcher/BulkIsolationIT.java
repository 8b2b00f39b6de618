package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.launcher.bulk.BatchClient;
import tagger.models.BenchmarkModels;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * Real-time requests keep flowing while a bulk batch saturates the worker, and the latency each
 * class sees is printed (docs/benchmarks.md, "Bulk and real-time isolation"). The test asserts the
 * mechanism, not the latency: every real-time request is answered while bulk work progresses and
 * is still pending, and no real-time image shares its inference call with more bulk images than
 * {@code TAGGER_BULK_TOPUP} allows (none on a CPU). Latency under bulk load is a benchmark figure,
 * never asserted: what losing the worker's priority would add (waiting for the bulk images already in
 * its hands, a prefetch of 32) is of the order of the noise of a shared 2-core machine. {@code -Dtagger.isolation.model=mobilenetv2 -Dtagger.isolation.samples=200} makes it
 * the benchmark.
 */
class BulkIsolationIT {
    static final String MODEL = System.getProperty("tagger.isolation.model", "demo");
    static final int SAMPLES = Integer.getInteger("tagger.isolation.samples", 30);
    static final int BULK_ITEMS = Integer.getInteger("tagger.isolation.bulk", 20_000);
    static final long GAP_MS = 100;
    /** The worker's TAGGER_BULK_TOPUP: -1 is its default (none on a CPU). */
    static final String TOP_UP = System.getProperty("tagger.isolation.topup", "-1");

    /** Latencies (ms) of sequential real-time requests, and the worker-side stages of each. */
    private record Sample(double totalMs, JsonNode timings) {
    }

    @Test
    void realTimeRequestsKeepFlowingWhileBulkWorkSaturatesTheWorker(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        if (MODEL.equals("demo")) {
            DemoModel.write(model);
        } else {
            BenchmarkModels.write(BenchmarkModels.Kind.valueOf(MODEL.toUpperCase(Locale.ROOT).replace('-', '_')), model);
        }
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                ImageOrigin storage = ImageOrigin.start(); // the migration's origin, apart from the callers' 
                Worker worker = TestStack.worker(ns, model, Map.of("TAGGER_MAX_BATCH", "16", "TAGGER_BULK_TOPUP", TOP_UP));
                // 16 photos, each sent many times: without the result cache they all reach the worker
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_BULK_DOWNLOADS", "16", "TAGGER_BULK_PER_HOST", "16",
                        "TAGGER_CACHE", "false"))) {
            List<String> photos = new ArrayList<>();
            List<String> library = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] jpeg = SampleImages.jpeg(SampleImages.photoLike(640, 480, i), 0.85f);
                photos.add(origin.put("/photo-" + i + ".jpg", jpeg, "image/jpeg"));
                library.add(storage.put("/library-" + i + ".jpg", jpeg, "image/jpeg"));
            }
            String tags = TestStack.tagsUrl(api);
            measure(tags, photos, 5); // warm-up
            List<Sample> idle = measure(tags, photos, SAMPLES);

            Map<String, String> items = new LinkedHashMap<>();
            for (int i = 0; i < BULK_ITEMS; i++) {
                items.put("bulk-" + i, library.get(i % library.size()));
            }
            BatchClient client = new BatchClient("http://127.0.0.1:" + api.port());
            BatchClient.Answer submitted = client.submit(BulkFixture.ndjson(items), BulkFixture.NDJSON, null, null);
            assertEquals(202, submitted.status(), submitted.raw().body());
            String batchId = submitted.body().path("batchId").asText();
            long until = System.currentTimeMillis() + 60_000;
            while (client.status(batchId).body().path("done").asLong() < 100 && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }
            String workerMetrics = TestStack.metricsUrl(worker);
            double batchesBefore = Http.metric(workerMetrics, "tagger_worker_inference_seconds_count", null);
            double inferBefore = Http.metric(workerMetrics, "tagger_worker_inference_seconds_sum", null);
            double imagesBefore = Http.metric(workerMetrics, "tagger_worker_batch_size_sum", null);
            long bulkBefore = client.status(batchId).body().path("done").asLong();
            long start = System.nanoTime();

            List<Sample> mixed = measure(tags, photos, SAMPLES);

            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode after = client.status(batchId).body();
            long bulkDone = after.path("done").asLong() - bulkBefore;
            double batches = Http.metric(workerMetrics, "tagger_worker_inference_seconds_count", null) - batchesBefore;
            double batchMs = 1000 * (Http.metric(workerMetrics, "tagger_worker_inference_seconds_sum", null)
                    - inferBefore) / Math.max(1, batches);
            double batchSize = (Http.metric(workerMetrics, "tagger_worker_batch_size_sum", null) - imagesBefore)
                    / Math.max(1, batches);
            client.cancel(batchId);

            assertEquals(SAMPLES, mixed.size(), "every real-time request was answered while bulk ran");
            assertTrue(bulkDone > 0, "bulk work progressed meanwhile");
            assertTrue(after.path("pending").asLong() > 0, "bulk work was still waiting when the samples ended");
            // one real-time request at a time: its batch holds it and at most the allowed bulk top-up
            int topUp = Integer.parseInt(TOP_UP) >= 0 ? Integer.parseInt(TOP_UP) : 0; // -1: none on a CPU
            double largest = mixed.stream().mapToDouble(x -> x.timings().path("batchSize").asDouble()).max().orElse(0);
            assertTrue(largest >= 1 && largest <= 1 + topUp, "a real-time image shared its inference call with "
                    + (largest - 1) + " bulk images; TAGGER_BULK_TOPUP allows " + topUp);
            System.out.printf(Locale.ROOT, "isolation model=%s samples=%d bulk top-up=%s%n", MODEL, SAMPLES, TOP_UP);
            System.out.printf(Locale.ROOT, "  idle  real-time: %s%n", summary(idle));
            System.out.printf(Locale.ROOT, "  mixed real-time: %s%n", summary(mixed));
            System.out.printf(Locale.ROOT, "  bulk meanwhile: %.0f items/s, %d pending; worker: %.0f batches, "
                    + "mean batch %.1f images, mean batch time %.1f ms%n", bulkDone / seconds,
                    after.path("pending").asLong(), batches, batchSize, batchMs);
            System.out.printf(Locale.ROOT, "  mixed p99 - idle p99 = %.1f ms (target: <= one batch time, %.1f ms)%n",
                    percentile(mixed, 99) - percentile(idle, 99), batchMs);
        }
    }

    /** Sends {@code n} real-time requests one after another, {@link #GAP_MS} apart. */
    private static List<Sample> measure(String tagsUrl, List<String> photos, int n) throws InterruptedException {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Http.Answer a = Http.postJson(tagsUrl, "{\"url\": \"" + photos.get(i % photos.size()) + "\"}");
            double ms = (System.nanoTime() - t0) / 1e6;
            assertEquals(200, a.status(), a.raw().body());
            samples.add(new Sample(ms, a.body().path("timings")));
            Thread.sleep(GAP_MS);
        }
        return samples;
    }

    private static double percentile(List<Sample> samples, int p) {
        double[] v = samples.stream().mapToDouble(Sample::totalMs).sorted().toArray();
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }

    private static double stage(List<Sample> samples, String stage, int p) {
        double[] v = samples.stream().mapToDouble(s -> s.timings().path(stage).asDouble()).sorted().toArray();
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }

    private static String summary(List<Sample> s) {
        StringBuilder stages = new StringBuilder();
        for (String name : List.of("download", "publish", "queue", "preprocess", "batchWait", "inference", "result")) {
            stages.append(String.format(Locale.ROOT, " %s %.1f/%.1f", name, stage(s, name, 50), stage(s, name, 99)));
        }
        return String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f, p99 %.1f, max %.1f | stages p50/p99:%s | batch size "
                + "p50 %.0f", percentile(s, 50), percentile(s, 90), percentile(s, 99),
                Arrays.stream(s.stream().mapToDouble(Sample::totalMs).toArray()).max().orElse(0), stages,
                stage(s, "batchSize", 50));
    }
}
