package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tagger.api.cache.ResultCache;
import tagger.api.fakes.FakeCacheReader;
import tagger.api.fakes.FakeJobPublisher;
import tagger.common.BatchOutcome;
import tagger.common.CachedTags;
import tagger.common.ErrorCode;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Names;
import tagger.common.Sha256;
import tagger.common.Tag;
import tagger.common.TrafficClass;
import tagger.testkit.SampleImages;
import tagger.transport.BatchStore;
import tagger.transport.JobSource;
import tagger.transport.QueueProbe;
import tagger.transport.memory.InMemoryBatchStore;
import tagger.transport.memory.InMemoryJobQueue;

/** The download stage with an in-memory URL queue and batch store, a scripted fetcher and a fake publisher. */
class BulkDownloadsTest {
    private static final byte[] PNG = SampleImages.png(SampleImages.solid(4, 4, Color.RED));

    private final InMemoryJobQueue urls = new InMemoryJobQueue();
    private final InMemoryBatchStore store = new InMemoryBatchStore();
    private final FakeJobPublisher images = new FakeJobPublisher();
    private final ScriptedFetcher fetcher = new ScriptedFetcher();
    private final AtomicLong imageBacklog = new AtomicLong();
    private final BacklogGate gate = new BacklogGate(queue -> new QueueProbe.Depth(
            queue.equals("images") ? imageBacklog.get() : 0, 1), "images", "urls", 10);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private BulkDownloads stage;
    private ResultCache cache; // null: none

    @AfterEach
    void stop() {
        if (stage != null) {
            stage.close();
        }
    }

    private void start(JobSource source, int downloads, int perHost) {
        gate.probe();
        stage = new BulkDownloads(new BulkDownloads.Parts(source, fetcher, images, store, gate,
                        cache == null ? ResultCache.off(registry) : cache),
                new BulkDownloads.Limits(downloads, perHost, 2 * downloads, 5, Duration.ofSeconds(5), 40_000_000),
                new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)), new BulkMetrics(registry),
                Clock.systemUTC());
        stage.start();
    }

    private void start() {
        start(urls.source(), 4, 2);
    }

    private String batch(int items) {
        String id = store.claim(new BatchStore.NewBatch("b-" + UUID.randomUUID(), null, "fp", 2, null, null,
                Duration.ofDays(1))).batch().id();
        store.accepted(id, items);
        return id;
    }

    private static ImageJob item(String batchId, String itemId, String url) {
        JobMeta meta = new JobMeta(UUID.randomUUID().toString(), null, TrafficClass.BULK, 1, 0, 1, 0, "", 2, null, url,
                batchId, itemId, null);
        return new ImageJob(meta, "text/uri-list", url.getBytes(StandardCharsets.UTF_8));
    }

    private ImageJob publish(String batchId, String itemId, String url) {
        ImageJob job = item(batchId, itemId, url);
        urls.publisher().publish(job).join();
        return job;
    }

    private List<BatchOutcome> outcomes(String batchId) {
        return store.results(batchId, null, 100).entries().stream()
                .map(e -> Json.read(e.json(), BatchOutcome.class)).toList();
    }

    private double count(String name, String tag, String value) {
        var c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void aDownloadedImageIsPublishedForTheWorkersAndOnlyThenAcknowledged() throws Exception {
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        images.answerWith(job -> confirm);
        fetcher.image("http://a.test/1.png", PNG);
        String batch = batch(1);
        start();
        ImageJob item = publish(batch, "one", "http://a.test/1.png");

        await(() -> images.published().size() == 1, "the image to be published");
        ImageJob image = images.published().get(0);
        assertEquals(TrafficClass.BULK, image.meta().trafficClass());
        assertEquals(item.requestId(), image.requestId());
        assertEquals(batch, image.meta().batchId());
        assertEquals("one", image.meta().itemId());
        assertEquals(2, image.meta().topK());
        assertNull(image.meta().replyTo(), "nobody waits for a bulk item");
        assertEquals("image/png", image.contentType());
        assertEquals(2.5, image.meta().downloadMs());
        assertEquals(1, stage.heldCount(), "held, unacknowledged, until the broker confirms the image");

        confirm.complete(null);
        await(() -> stage.heldCount() == 0, "the item to be acknowledged");
        assertEquals(1, count("tagger.bulk.items", "outcome", "published"));
        assertTrue(outcomes(batch).isEmpty(), "the worker records the outcome, not the download stage");
    }

    @Test
    void aFailedDownloadBecomesTheItemsOutcome() throws Exception {
        String batch = batch(2);
        fetcher.image("http://a.test/text", "hello".getBytes(StandardCharsets.UTF_8));
        start();
        publish(batch, "missing", "http://a.test/missing.png");
        publish(batch, "text", "http://a.test/text");

        await(() -> outcomes(batch).size() == 2, "two outcomes");
        BatchOutcome missing = outcomes(batch).stream().filter(o -> o.id().equals("missing")).findFirst().orElseThrow();
        BatchOutcome text = outcomes(batch).stream().filter(o -> o.id().equals("text")).findFirst().orElseThrow();
        assertEquals(ErrorCode.ORIGIN_STATUS, missing.error().code());
        assertEquals("origin answered HTTP 404", missing.error().message(), "a 404 is not tried again");
        assertEquals("http://a.test/missing.png", missing.url());
        assertEquals(ErrorCode.NOT_AN_IMAGE, text.error().code());
        assertEquals(1, fetcher.calls().stream().filter(u -> u.endsWith("missing.png")).count());
        await(() -> stage.heldCount() == 0, "both acknowledged");
        assertTrue(store.batch(batch).orElseThrow().complete());
        assertTrue(images.published().isEmpty());
    }

    @Test
    void aTransientFailureIsTriedAgainUntilItSucceeds() throws Exception {
        fetcher.status("http://a.test/busy.png", 503).status("http://a.test/busy.png", 503)
                .image("http://a.test/busy.png", PNG);
        start();
        publish(batch(1), "busy", "http://a.test/busy.png");

        await(() -> images.published().size() == 1, "the image after two retries");
        assertEquals(3, fetcher.calls().size());
        assertEquals(2, count("tagger.bulk.retries", "code", "origin_status"));
    }

    @Test
    void aTransientFailureOnTheLastAttemptBecomesTheOutcome() throws Exception {
        fetcher.error("http://a.test/down.png", ErrorCode.DOWNLOAD_TIMEOUT, "download did not finish within 10 ms");
        String batch = batch(1);
        start();
        publish(batch, "down", "http://a.test/down.png");

        await(() -> outcomes(batch).size() == 1, "the outcome");
        assertEquals(3, fetcher.calls().size());
        assertEquals("download did not finish within 10 ms (after 3 attempts)",
                outcomes(batch).get(0).error().message());
        assertEquals(ErrorCode.DOWNLOAD_TIMEOUT, outcomes(batch).get(0).error().code());
    }

    @Test
    void itemsOfACancelledBatchAreNeitherDownloadedNorPublished() throws Exception {
        String batch = batch(3);
        store.cancel(batch);
        start();
        for (int i = 0; i < 3; i++) {
            publish(batch, "i" + i, "http://a.test/" + i + ".png");
        }

        // the stage records the outcomes, then counts them: wait for both
        await(() -> outcomes(batch).size() == 3 && count("tagger.bulk.items", "outcome", "cancelled") == 3,
                "three cancelled outcomes, counted");
        assertTrue(outcomes(batch).stream().allMatch(o -> o.error().code() == ErrorCode.CANCELLED));
        assertEquals("batch " + batch + " was cancelled; not downloaded", outcomes(batch).get(0).error().message());
        assertTrue(fetcher.calls().isEmpty());
        assertTrue(images.published().isEmpty());
        assertEquals(3, count("tagger.bulk.items", "outcome", "cancelled"));
        assertTrue(store.batch(batch).orElseThrow().complete());
    }

    @Test
    void noDownloadStartsWhileTheImageBacklogIsAboveItsTarget() throws Exception {
        imageBacklog.set(10); // target: 10 per worker, one worker
        fetcher.image("http://a.test/1.png", PNG);
        start();
        publish(batch(1), "one", "http://a.test/1.png");

        Thread.sleep(300);
        assertTrue(fetcher.calls().isEmpty(), "paused while the workers have enough to do");

        imageBacklog.set(9);
        gate.probe();
        await(() -> images.published().size() == 1, "the download once the backlog drained");
    }

    @Test
    void thePerHostCapHoldsWhileOtherHostsStillGetSlots() throws Exception {
        String batch = batch(6);
        for (int i = 0; i < 5; i++) {
            fetcher.hold("http://busy.test/" + i + ".png");
            publish(batch, "busy-" + i, "http://busy.test/" + i + ".png");
        }
        fetcher.hold("http://other.test/x.png");
        publish(batch, "other", "http://other.test/x.png");
        start(urls.source(), 4, 2);

        await(() -> fetcher.heldCount() == 3, "two downloads from busy.test and one from other.test");
        Thread.sleep(100);
        assertEquals(3, fetcher.calls().size());
        assertEquals(2, fetcher.mostRunning("busy.test"));
        assertEquals(1, fetcher.mostRunning("other.test"));

        fetcher.releaseAll(PNG);
        await(() -> fetcher.calls().size() == 5, "two more from busy.test once its slots free up");
        await(() -> fetcher.heldCount() == 2, "both held");
        fetcher.releaseAll(PNG);
        await(() -> fetcher.calls().size() == 6, "the last one");
        await(() -> fetcher.heldCount() == 1, "held");
        fetcher.releaseAll(PNG);
        await(() -> images.published().size() == 6, "all six published");
        assertEquals(2, fetcher.mostRunning("busy.test"), "never more than the cap");
    }

    @Test
    void anItemRedeliveredAfterItGotItsOutcomeIsNotDownloadedAgain() throws Exception {
        String batch = batch(1);
        publish(batch, "done", "http://a.test/done.png");
        store.record(List.of(new BatchStore.ItemResult(batch, BatchOutcome.error("done", "http://a.test/done.png",
                ErrorCode.UNDECODABLE, "stored by a worker before its api-server died"))));
        JobSource crashed = urls.source(); // takes the item and dies without acknowledging it
        CountDownLatch taken = new CountDownLatch(1);
        crashed.start(1, d -> taken.countDown(), TrafficClass.BULK);
        assertTrue(taken.await(5, TimeUnit.SECONDS));
        crashed.close();
        start();

        await(() -> count("tagger.bulk.items", "outcome", "skipped") == 1, "the redelivery to be skipped");
        assertTrue(fetcher.calls().isEmpty());
        assertEquals(1, outcomes(batch).size());
        assertEquals(0, urls.depth(TrafficClass.BULK));
    }

    @Test
    void anItemOfAnUnknownBatchIsDropped() throws Exception {
        start();
        publish("no-such-batch", "x", "http://a.test/x.png");

        await(() -> count("tagger.bulk.items", "outcome", "orphaned") == 1, "the item to be dropped");
        await(() -> stage.heldCount() == 0, "the item to be acknowledged");
        assertTrue(fetcher.calls().isEmpty());
        assertEquals(0, urls.depth(TrafficClass.BULK));
    }

    @Test
    void aRefusedImagePublishDownloadsAgainWithoutUsingAnAttempt() throws Exception {
        images.refuseWith(new tagger.transport.QueueUnavailableException("broker down (test)"));
        fetcher.image("http://a.test/1.png", PNG);
        start();
        publish(batch(1), "one", "http://a.test/1.png");

        await(() -> fetcher.calls().size() >= 2, "a second download after the refused publish");
        images.answerWith(job -> CompletableFuture.completedFuture(null));
        await(() -> count("tagger.bulk.items", "outcome", "published") == 1, "the image once the broker is back");
    }
    @Test
    void anItemWhoseBytesAreCachedGetsItsTagsAsOutcomeWithoutBeingPublished() throws Exception {
        FakeCacheReader entries = new FakeCacheReader();
        ModelRef model = new ModelRef("demo-colors", "1");
        Names names = new Names("bulktest");
        entries.put(names.cacheKey(Sha256.hex(PNG), model), Json.write(new CachedTags(
                List.of(new Tag("red", 0.9), new Tag("warm", 0.4), new Tag("dark", 0.1)), model, 5, 0.0, 5, 0.0, 10,
                true)));
        cache = ResultCache.of(entries, List.of(model), names, registry);
        fetcher.image("http://a.test/1.png", PNG).image("http://a.test/2.png", PNG);
        String batch = batch(2);
        start();
        publish(batch, "one", "http://a.test/1.png");
        publish(batch, "two", "http://a.test/2.png");

        await(() -> stage.heldCount() == 0 && outcomes(batch).size() == 2, "both items to be answered and acked");
        assertTrue(images.published().isEmpty(), "nothing reaches the broker");
        for (BatchOutcome o : outcomes(batch)) {
            assertEquals(List.of(new Tag("red", 0.9), new Tag("warm", 0.4)), o.tags(), "cut to the batch's topK 2");
            assertEquals(model, o.model());
            assertNull(o.error());
        }
        assertTrue(store.batch(batch).orElseThrow().complete());
        await(() -> count("tagger.bulk.items", "outcome", "cached") == 2, "both counted as cached");
    }

    @Test
    void aMissIsPublishedWithTheContentHashSoTheWorkerFillsTheCache() throws Exception {
        cache = ResultCache.of(new FakeCacheReader(), List.of(new ModelRef("m", "1")), new Names("bulktest"),
                registry);
        fetcher.image("http://a.test/1.png", PNG);
        String batch = batch(1);
        start();
        publish(batch, "one", "http://a.test/1.png");

        await(() -> images.published().size() == 1, "the image to be published");
        assertEquals(Sha256.hex(PNG), images.published().get(0).meta().contentHash());
    }
}
