package tagger.worker.pipeline;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.common.BatchOutcome;
import tagger.common.ErrorCode;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.TagResult;
import tagger.common.Timings;
import tagger.common.TrafficClass;
import tagger.models.DemoModel;
import tagger.testkit.SampleImages;
import tagger.transport.BatchStore;
import tagger.transport.JobSource;
import tagger.transport.ResultFeed;
import tagger.transport.memory.InMemoryJobQueue;
import tagger.worker.metrics.DutyCycle;
import tagger.worker.metrics.WorkerMetrics;
import tagger.worker.model.ModelDirectory;
import tagger.worker.postprocess.Postprocessor;
import tagger.transport.ResultStore;
import tagger.imaging.EdgePayload;
import tagger.imaging.EdgePreprocessor;
import tagger.imaging.PixelSpec;
import tagger.imaging.PreprocessSpec.Resize;
import tagger.imaging.Preprocessor;
import tagger.worker.results.ResultWriter;

/**
 * The worker's pipeline with the real preprocessing and postprocessing of the demo model's spec, the
 * in-memory queue and result store, and a {@link FakeTagger} in place of ONNX Runtime.
 */
class WorkerPipelineTest {
    private static final long FAR = System.currentTimeMillis() + 3_600_000;
    private static final String API = "api-1";
    private static final long MS = 1_000_000L;

    @TempDir
    static Path modelDir;
    private static ModelDirectory model;
    private static Preprocessor preprocessor;
    private static Postprocessor postprocessor;

    private final InMemoryJobQueue queue = new InMemoryJobQueue(10, Map.of());
    private final RecordingStore store = new RecordingStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry,
            new DutyCycle(System::nanoTime, TimeUnit.SECONDS.toNanos(10)));
    private final List<TagResult> notified = new CopyOnWriteArrayList<>();
    private FakeTagger tagger;
    private WorkerPipeline pipeline;

    @BeforeAll
    static void demoModel() {
        DemoModel.write(modelDir);
        model = ModelDirectory.load(modelDir);
        preprocessor = new Preprocessor(model.spec().input().preprocess(), 50_000_000);
        postprocessor = new Postprocessor(model.spec().output().activation(), model.labels());
    }

    @AfterEach
    void closePipeline() {
        if (tagger != null) {
            tagger.release(); // never leave a held call behind
        }
        if (pipeline != null) {
            pipeline.close();
        }
        store.close();
    }

    // --- wiring -------------------------------------------------------------------------------

    private static WorkerPipeline.Options options(int maxBatch, long maxWaitMs, int maxDeliveries) {
        return new WorkerPipeline.Options(maxBatch, maxWaitMs * MS, 16, 1, maxDeliveries, 5, 0.1, -1);
    }

    private WorkerPipeline start(WorkerPipeline.Options options, JobSource source, int modelMaxBatch) {
        tagger = new FakeTagger(preprocessor.tensorSize(), model.labels().size(), modelMaxBatch);
        return start(options, source, tagger);
    }

    private WorkerPipeline start(WorkerPipeline.Options options, JobSource source, FakeTagger t) {
        store.store.subscribe(API, new ResultFeed.Listener() {
            @Override
            public void onResult(TagResult result) {
                notified.add(result);
            }

            @Override
            public void onSubscribed() {
            }
        });
        pipeline = new WorkerPipeline(options, source, new ResultWriter(store, metrics, 64), t, preprocessor,
                postprocessor, new ModelRef(model.spec().name(), model.spec().version()), preprocessor.tensorSize(),
                metrics, PipelineClock.SYSTEM, store::cancelledBatches);
        pipeline.start();
        return pipeline;
    }

    /** A solid red-channel PNG: the fake tagger recognises it by {@code red}. */
    private static byte[] image(int red) {
        return SampleImages.png(SampleImages.solid(8, 8, new Color(red, 0, 0)));
    }

    private static ImageJob job(byte[] body, long deadline) {
        long now = System.currentTimeMillis();
        JobMeta meta = new JobMeta(UUID.randomUUID().toString(), API, TrafficClass.REALTIME, now, deadline, now, 3.0,
                "", null, null, "https://images.example/x.png", null, null, null);
        return new ImageJob(meta, "image/png", body);
    }

    private static ImageJob job(int red) {
        return job(image(red), FAR);
    }

    private void publish(ImageJob... jobs) {
        for (ImageJob j : jobs) {
            queue.publisher().publish(j).join();
        }
    }

    /**
     * Publishes a job and hands it out to a consumer that dies with it unacked until it has
     * {@code previous} deliveries behind it. Call before anything else is in the queue.
     */
    private void publishRedelivered(ImageJob job, int previous) throws InterruptedException {
        publish(job);
        JobSource crashing = queue.source();
        CountDownLatch holding = new CountDownLatch(1);
        crashing.start(1, d -> {
            if (d.previousDeliveries() < previous - 1) {
                d.requeue();
            } else {
                holding.countDown(); // keep it unsettled: closing the source gives it back, counted
            }
        }, TrafficClass.REALTIME);
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        crashing.close();
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

    private TagResult stored(ImageJob j) {
        return store.store.fetch(List.of(j.requestId())).get(j.requestId());
    }

    private TagResult awaitStored(ImageJob j) throws InterruptedException {
        await(() -> stored(j) != null, "the result of " + j.requestId());
        return stored(j);
    }

    private void awaitPreprocessed(int images) throws InterruptedException {
        await(() -> registry.get("tagger.worker.preprocess").timer().count() >= images, images + " preprocessed");
    }

    private static String label(int red) {
        return DemoModel.LABELS.get(red % DemoModel.LABELS.size());
    }

    private static String topLabel(TagResult r) {
        assertNotNull(r.tags(), () -> "expected tags, got " + r.error());
        return r.tags().get(0).label();
    }

    // --- tests --------------------------------------------------------------------------------

    @Test
    void aPublishedJobGetsExactlyOneStoredResultAndIsAcked() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        start(options(8, 5, 5), source, Integer.MAX_VALUE);
        ImageJob j = job(30);
        publish(j);

        TagResult r = awaitStored(j);
        pipeline.close();

        assertEquals(label(30), topLabel(r));
        assertEquals(1, r.tags().size(), "only tags above the model's default minScore");
        assertEquals("demo-colors", r.model().name());
        assertEquals("https://images.example/x.png", r.url());
        assertEquals(1, r.timings().batchSize());
        assertEquals(3.0, r.timings().download(), "the api-server's download time travels on");
        assertTrue(r.timings().preprocess() > 0);
        assertEquals(1, store.attemptsFor(j.requestId()));
        assertEquals(List.of("ack " + j.requestId()), source.settlements());
        assertEquals(0, queue.depth(TrafficClass.REALTIME), "an unacked job would be back in the queue");
        assertEquals(List.of(), queue.deadLetters());
        await(() -> !notified.isEmpty(), "the notification");
        assertEquals(j.requestId(), notified.get(0).requestId());
    }

    @Test
    void eachResultGoesToItsOwnJobWhateverTheBatch() throws Exception {
        start(options(8, 50, 5), queue.source(), Integer.MAX_VALUE);
        List<ImageJob> jobs = new ArrayList<>();
        for (int red = 20; red < 140; red += 10) {
            jobs.add(job(red));
        }
        publish(jobs.toArray(ImageJob[]::new));

        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(label(20 + 10 * i), topLabel(awaitStored(jobs.get(i))), "job " + i);
        }
    }

    @Test
    void anExpiredJobIsNeitherDecodedNorInferred() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        start(options(8, 5, 5), source, Integer.MAX_VALUE);
        // bytes that cannot be decoded: had the worker tried, the result would say "undecodable"
        ImageJob expired = job("not an image at all".getBytes(US_ASCII), System.currentTimeMillis() - 1);
        publish(expired);

        TagResult r = awaitStored(expired);
        pipeline.close();

        assertEquals(ErrorCode.DEADLINE_EXCEEDED, r.error().code());
        assertTrue(r.error().message().startsWith("deadline passed while queued ("), r.error().message());
        assertTrue(r.error().message().endsWith(" ms in queue); skipped before decoding"), r.error().message());
        assertEquals(List.of(), tagger.calls());
        assertEquals(0, registry.get("tagger.worker.preprocess").timer().count());
        assertEquals(1.0, metrics.expired());
        assertEquals(List.of("ack " + expired.requestId()), source.settlements(), "expired is done, not poison");
        assertEquals(List.of(), queue.deadLetters());
    }

    @Test
    void aRedeliveredJobWhoseAnswerIsStoredAlreadyCountsAsADuplicateNotAsDeadlineExceeded() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        start(options(8, 5, 5), source, Integer.MAX_VALUE);
        // the first delivery was answered before the broker went away; this one arrives past its deadline
        ImageJob late = job(image(30), System.currentTimeMillis() - 1);
        TagResult answered = TagResult.tags(late.meta(), List.of(), new ModelRef("demo-colors", "1"),
                Timings.NONE);
        store.store.complete(List.of(new ResultStore.Completion(answered, null)));
        publish(late);

        await(() -> source.settlements().contains("ack " + late.requestId()), "the duplicate is settled");
        pipeline.close();

        assertEquals(null, awaitStored(late).error(), "the first answer stays the answer");
        assertEquals(1.0, registry.get("tagger.worker.results.duplicate").counter().count());
        assertEquals(0.0, registry.get("tagger.worker.images").tag("outcome", "deadline_exceeded").counter().count());
    }

    @Test
    void aJobAtItsDeliveryLimitEndsAsDeliveryLimitInTheDeadLettersWithoutInference() throws Exception {
        ImageJob worn = job(40);
        publishRedelivered(worn, 2);
        start(options(8, 5, 3), queue.source(), Integer.MAX_VALUE);

        TagResult r = awaitStored(worn);
        pipeline.close();

        assertEquals(ErrorCode.DELIVERY_LIMIT, r.error().code());
        assertEquals("gave up after 3 deliveries, the limit is 3", r.error().message());
        assertEquals(List.of(worn.requestId()), queue.deadLetters().stream().map(ImageJob::requestId).toList());
        assertEquals(List.of(), tagger.calls());
        assertEquals(0, queue.depth(TrafficClass.REALTIME));
    }

    @Test
    void aJobBelowItsDeliveryLimitIsStillTagged() throws Exception {
        ImageJob again = job(50);
        publishRedelivered(again, 1);
        start(options(8, 5, 3), queue.source(), Integer.MAX_VALUE);

        assertEquals(label(50), topLabel(awaitStored(again)));
        pipeline.close();
        assertEquals(List.of(), queue.deadLetters());
    }

    /** An edge payload of the image with this red value, as an api-server preprocessing for {@code spec} publishes it. */
    private static ImageJob payload(int red, PixelSpec spec) throws Exception {
        EdgePayload p = new EdgePreprocessor(spec, 50_000_000, null).preprocess(image(red));
        ImageJob original = job(red);
        return new ImageJob(original.meta().withEdgeMs(p.totalMillis()), p.contentType(), p.body());
    }

    @Test
    void duringAModelRolloutPayloadsMadeForTheOldInputAreRefusedWhileOriginalsAndCurrentPayloadsAreTagged()
            throws Exception {
        // The api-server still preprocessed for the old model's input while this worker already runs
        // the new one; originals and payloads for the new input share the queue with them.
        PixelSpec current = preprocessor.pixels();
        PixelSpec old = new PixelSpec(current.width() + 32, current.height() + 32, current.resize(),
                current.resize() == Resize.STRETCH ? 0 : current.resizeShorterSide() + 32);
        start(options(8, 20, 5), queue.source(), Integer.MAX_VALUE);
        List<ImageJob> stale = new ArrayList<>();
        List<ImageJob> fine = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ImageJob j = i % 3 == 0 ? payload(100 + 7 * i, old) : i % 3 == 1 ? payload(100 + 7 * i, current) : job(100 + 7 * i);
            (i % 3 == 0 ? stale : fine).add(j);
            publish(j);
        }

        for (ImageJob j : fine) {
            TagResult r = awaitStored(j);
            assertNotNull(r.tags(), () -> "expected tags, got " + r.error());
        }
        for (ImageJob j : stale) {
            TagResult r = awaitStored(j);
            assertEquals(ErrorCode.PREPROCESS_MISMATCH, r.error().code());
            assertEquals("the api-server preprocessed this image for " + old.fingerprint() + ", this worker's model needs "
                    + current.fingerprint() + " (a model rollout overtook the message; submit the image again)",
                    r.error().message());
        }
        for (int i = 0; i < 12; i += 3) {
            assertEquals(0, tagger.callsWith(100 + 7 * i), "no inference on the stale payload of image " + i);
        }
        assertTrue(awaitStored(fine.get(0)).timings().edgePreprocess() > 0, "a payload's edge time reaches the timings");
    }

    @Test
    void anUndecodableImageIsDeadLetteredWhileTheOthersAreTagged() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        start(options(8, 20, 5), source, Integer.MAX_VALUE);
        ImageJob before = job(60);
        byte[] truncated = java.util.Arrays.copyOf(image(70), 40); // a PNG header, then nothing
        ImageJob broken = job(truncated, FAR);
        ImageJob after = job(80);
        publish(before, broken, after);

        TagResult r = awaitStored(broken);
        assertEquals(label(60), topLabel(awaitStored(before)));
        assertEquals(label(80), topLabel(awaitStored(after)));
        pipeline.close();

        assertEquals(ErrorCode.UNDECODABLE, r.error().code());
        assertTrue(r.error().message().contains("PNG"), r.error().message());
        assertEquals(List.of(broken.requestId()), queue.deadLetters().stream().map(ImageJob::requestId).toList());
        assertTrue(source.settlements().contains("deadLetter " + broken.requestId()));
        assertEquals(0, tagger.callsWith(70));
        assertEquals(0, queue.depth(TrafficClass.REALTIME));
    }

    /** Holds inference on a first image, lets {@code jobs} pile up preprocessed, then lets go: one batch forms. */
    private void releaseAsOneBatch(Runnable deliverJobs, int jobs) throws InterruptedException {
        tagger.awaitHeld();
        deliverJobs.run();
        awaitPreprocessed(1 + jobs);
        tagger.release();
    }

    @Test
    void aFailedBatchIsRetriedOneImageAtATimeSoOnlyThePoisonousImageFails() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        start(options(8, 2_000, 5), source, Integer.MAX_VALUE);
        tagger.holdOn(10);
        tagger.failOn(100);
        ImageJob a = job(90);
        ImageJob poison = job(100);
        ImageJob b = job(110);
        publish(job(10));

        releaseAsOneBatch(() -> publish(a, poison, b), 3);
        TagResult failed = awaitStored(poison);
        assertEquals(label(90), topLabel(awaitStored(a)));
        assertEquals(label(110), topLabel(awaitStored(b)));

        assertEquals(List.of(List.of(10), List.of(90, 100, 110), List.of(90), List.of(100), List.of(110)),
                tagger.calls());
        assertEquals(ErrorCode.INFERENCE_FAILED, failed.error().code());
        assertEquals("the model failed on this image: kernel crashed on a batch of 1", failed.error().message());
        assertEquals(1, awaitStored(a).timings().batchSize(), "a's answer came from its retry alone");
        pipeline.close();
        assertEquals(List.of(poison.requestId()), queue.deadLetters().stream().map(ImageJob::requestId).toList());
        assertTrue(source.settlements().contains("ack " + a.requestId()));
    }

    @Test
    void aNanOutputRowFailsOnlyItsOwnImage() throws Exception {
        start(options(8, 2_000, 5), queue.source(), Integer.MAX_VALUE);
        tagger.holdOn(10);
        tagger.nanOn(130);
        ImageJob a = job(120);
        ImageJob broken = job(130);
        publish(job(10));

        releaseAsOneBatch(() -> publish(a, broken), 2);

        TagResult failed = awaitStored(broken);
        assertEquals(ErrorCode.INFERENCE_FAILED, failed.error().code());
        assertEquals("the model failed on this image: model output is NaN at index 0", failed.error().message());
        assertEquals(label(120), topLabel(awaitStored(a)));
    }

    @Test
    void aModelFailingOutsideItsContractStillAnswersEveryImage() throws Exception {
        // regression: only InferenceException was caught; any other exception escaped to the inference
        // loop, which logged it and dropped the batch: no result, no settlement, in-flight count leaked
        start(options(8, 5, 5), queue.source(), Integer.MAX_VALUE);
        tagger.failUnexpectedlyOn(140);
        ImageJob broken = job(140);
        publish(broken);

        TagResult r = awaitStored(broken);
        assertEquals(ErrorCode.INFERENCE_FAILED, r.error().code());
        assertTrue(r.error().message().contains("native session is in a bad state"), r.error().message());
        await(() -> pipeline.inFlight() == 0, "nothing left in flight");
    }

    @Test
    void anImageRedeliveredTwiceRunsAloneWhileOthersShareABatch() throws Exception {
        RecordingSource source = RecordingSource.scripted();
        start(options(8, 2_000, 5), source, Integer.MAX_VALUE);
        tagger.holdOn(10);
        source.deliver(job(10), 0);
        ImageJob suspect = job(150);
        ImageJob once = job(160);
        ImageJob fresh = job(170);

        releaseAsOneBatch(() -> {
            source.deliver(suspect, 2);
            source.deliver(once, 1);
            source.deliver(fresh, 0);
        }, 3);
        awaitStored(suspect);
        awaitStored(once);
        awaitStored(fresh);

        assertEquals(List.of(List.of(10), List.of(150), List.of(160, 170)), tagger.calls());
        assertEquals(1, stored(suspect).timings().batchSize());
        assertEquals(2, stored(once).timings().batchSize());
    }

    @Test
    void batchesNeverExceedMaxBatch() throws Exception {
        start(options(4, 2_000, 5), queue.source(), Integer.MAX_VALUE);
        tagger.holdOn(10);
        List<ImageJob> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(job(20 + i));
        }
        publish(job(10));

        releaseAsOneBatch(() -> publish(jobs.toArray(ImageJob[]::new)), jobs.size());
        for (ImageJob j : jobs) {
            awaitStored(j);
        }

        List<Integer> sizes = tagger.calls().stream().map(List::size).toList();
        assertEquals(List.of(1, 4, 4, 2), sizes);
    }

    @Test
    void aModelWithAFixedBatchSizeCapsTheBatchBelowMaxBatch() throws Exception {
        start(options(8, 2_000, 5), queue.source(), 2);
        tagger.holdOn(10);
        List<ImageJob> jobs = List.of(job(20), job(21), job(22), job(23), job(24));
        publish(job(10));

        releaseAsOneBatch(() -> publish(jobs.toArray(ImageJob[]::new)), jobs.size());
        for (ImageJob j : jobs) {
            awaitStored(j);
        }

        assertEquals(List.of(1, 2, 2, 1), tagger.calls().stream().map(List::size).toList());
    }

    @Test
    void whileTheResultStoreIsUnreachableNothingIsAckedAndTheJobComesBack() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        store.failNext(4); // every attempt of the first write: the writer gives up and requeues
        start(options(8, 5, 5), source, Integer.MAX_VALUE);
        ImageJob j = job(180);
        publish(j);

        TagResult r = awaitStored(j);

        assertEquals(label(180), topLabel(r));
        assertEquals(List.of("requeue " + j.requestId(), "ack " + j.requestId()), source.settlements());
        assertEquals(2, tagger.callsWith(180), "the requeued job was tagged again on its redelivery");
        assertEquals(5, store.attemptsFor(j.requestId()));
    }

    @Test
    void stopFinishesTheWorkAlreadyReceivedAndTakesNothingNew() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        start(options(8, 5, 5), source, Integer.MAX_VALUE);
        tagger.holdOn(10);
        ImageJob first = job(10);
        ImageJob second = job(20);
        publish(first, second);
        tagger.awaitHeld();

        List<Integer> storedWhenStopped = new CopyOnWriteArrayList<>();
        Thread stopper = new Thread(() -> {
            pipeline.stop(5_000);
            storedWhenStopped.add((int) store.store.fetch(List.of(first.requestId(), second.requestId())).size());
        }, "stopper");
        stopper.start();
        await(source::wasStopped, "the source to be stopped");
        ImageJob late = job(30);
        publish(late);
        stopper.join(200);
        assertTrue(stopper.isAlive(), "stop() returned while an inference call was still running");

        tagger.release();
        stopper.join(5_000);

        assertEquals(List.of(2), storedWhenStopped, "both received jobs were answered before stop() returned");
        assertTrue(source.settlements().containsAll(List.of("ack " + first.requestId(), "ack " + second.requestId())));
        assertEquals(0, tagger.callsWith(30));
        pipeline.close();
        assertTrue(tagger.isClosed());
        assertEquals(1, queue.depth(TrafficClass.REALTIME), "the job published after stop() waits for another worker");
    }

    @Test
    void stoppingBeforeQueuedImagesArePreprocessedLeavesNothingInFlight() throws Exception {
        // regression: shutdownNow() dropped the preprocess tasks still queued without counting them out, so
        // the in-flight count never reached zero and the inference thread polled forever after close()
        start(options(8, 5, 5), queue.source(), Integer.MAX_VALUE);
        byte[] big = SampleImages.png(SampleImages.solid(1500, 1500, new Color(200, 0, 0)));
        List<ImageJob> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(job(big, FAR));
        }
        publish(jobs.toArray(ImageJob[]::new)); // one preprocess thread: five wait in its queue
        await(() -> queue.depth(TrafficClass.REALTIME) == 0, "every job delivered");

        pipeline.stop(0); // no grace: what has not started preprocessing is given up
        pipeline.close();

        assertEquals(0, pipeline.inFlight());
        long answered = jobs.stream().filter(j -> stored(j) != null).count();
        assertEquals(jobs.size(), answered + queue.depth(TrafficClass.REALTIME),
                "each job is either answered or back in the queue for another worker");
    }

    // --- bulk ---------------------------------------------------------------------------------

    private static ImageJob bulkJob(byte[] body, String batchId, String itemId) {
        long now = System.currentTimeMillis();
        JobMeta meta = new JobMeta(UUID.randomUUID().toString(), null, TrafficClass.BULK, now, 0, now, 3.0, "",
                null, null, "https://images.example/" + itemId + ".png", batchId, itemId, null);
        return new ImageJob(meta, "image/png", body);
    }

    private String newBatch() {
        return store.batches.claim(new BatchStore.NewBatch("b-" + UUID.randomUUID(), null, "fp", null, null, null,
                java.time.Duration.ofDays(1))).batch().id();
    }

    private List<BatchOutcome> outcomes(String batchId) {
        return store.batches.results(batchId, null, 1000).entries().stream()
                .map(e -> Json.read(e.json(), BatchOutcome.class)).toList();
    }

    @Test
    void aBulkItemsResultIsRecordedInItsBatchNotUnderItsRequestId() throws Exception {
        start(options(8, 5, 5), queue.source(), Integer.MAX_VALUE);
        String batch = newBatch();
        ImageJob item = bulkJob(image(40), batch, "photo-1");
        publish(item);

        await(() -> outcomes(batch).size() == 1, "the batch outcome");

        BatchOutcome o = outcomes(batch).get(0);
        assertEquals("photo-1", o.id());
        assertEquals("https://images.example/photo-1.png", o.url());
        assertEquals(label(40), o.tags().get(0).label());
        assertEquals(null, stored(item));
    }

    @Test
    void itemsOfACancelledBatchAreAnsweredCancelledWithoutDecodingOrInference() throws Exception {
        RecordingSource source = RecordingSource.wrapping(queue.source());
        start(options(8, 5, 5), source, Integer.MAX_VALUE);
        String batch = newBatch();
        store.batches.cancel(batch);
        ImageJob item = bulkJob(image(50), batch, "photo-2");
        publish(item);

        await(() -> outcomes(batch).size() == 1, "the batch outcome");

        BatchOutcome o = outcomes(batch).get(0);
        assertEquals(ErrorCode.CANCELLED, o.error().code());
        assertEquals("batch " + batch + " was cancelled; skipped before decoding", o.error().message());
        assertEquals(0, registry.get("tagger.worker.preprocess").timer().count(), "nothing was decoded");
        assertEquals(0, tagger.callsWith(50), "nothing was inferred");
        assertEquals(1, store.batches.batch(batch).orElseThrow().cancelled());
        await(() -> source.settlements().contains("ack " + item.requestId()), "the ack");
    }

    @Test
    void aRealTimeImageIsBatchedBeforeBulkImagesThatWereReadyEarlier() throws Exception {
        start(options(4, 5, 5), queue.source(), Integer.MAX_VALUE);
        tagger.holdOn(10);
        publish(job(10));
        tagger.awaitHeld();
        String batch = newBatch();
        for (int i = 0; i < 6; i++) {
            publish(bulkJob(image(20 + i), batch, "bulk-" + i));
        }
        awaitPreprocessed(1 + 6);
        ImageJob realtime = job(200);
        publish(realtime);
        awaitPreprocessed(1 + 6 + 1);

        tagger.release();
        awaitStored(realtime);

        assertEquals(List.of(200, 20, 21, 22), tagger.calls().get(1),
                "the real-time image leads the next batch, which bulk images top up");
    }

    @Test
    void aRealTimeImageIsDecodedBeforeQueuedBulkImages() throws Exception {
        // one preprocess thread, slow bulk decodes: the real-time image must not queue behind them
        start(options(1, 0, 5), queue.source(), Integer.MAX_VALUE);
        String batch = newBatch();
        byte[] big = SampleImages.png(SampleImages.solid(1500, 1500, new Color(60, 0, 0)));
        for (int i = 0; i < 6; i++) {
            publish(bulkJob(big, batch, "big-" + i));
        }
        await(() -> queue.depth(TrafficClass.BULK) == 0, "every bulk job delivered");
        ImageJob realtime = job(200);
        publish(realtime);

        awaitStored(realtime);

        long bulkBefore = outcomes(batch).size();
        assertTrue(bulkBefore <= 2, "at most the bulk decode(s) already running came first, got " + bulkBefore);
        await(() -> outcomes(batch).size() == 6, "every bulk outcome");
    }
}
