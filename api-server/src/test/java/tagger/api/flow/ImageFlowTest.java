package tagger.api.flow;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tagger.api.cache.ResultCache;
import tagger.api.download.DownloadException;
import tagger.api.download.FetchedImage;
import tagger.api.fakes.FakeCacheReader;
import tagger.api.fakes.FakeImageFetcher;
import tagger.api.fakes.FakeJobPublisher;
import tagger.api.fakes.FakeResultFeed;
import tagger.api.fakes.ManualScheduler;
import tagger.api.fakes.MutableClock;
import tagger.api.results.ResultWaiter;
import tagger.common.CachedTags;
import tagger.common.ErrorCode;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Names;
import tagger.common.Sha256;
import tagger.common.Tag;
import tagger.common.TagResult;
import tagger.common.Timings;
import tagger.common.TrafficClass;
import tagger.testkit.SampleImages;
import tagger.transport.QueueFullException;
import tagger.transport.QueueUnavailableException;

class ImageFlowTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long DEADLINE = T0 + 5_000;
    private static final String URL = "https://images.example/cat.png";
    private static final byte[] PNG = SampleImages.png(SampleImages.solid(8, 6, Color.RED));
    private static final byte[] JPEG = SampleImages.jpeg(SampleImages.solid(8, 6, Color.BLUE));
    private static final ImageFlow.Options NO_OPTIONS = new ImageFlow.Options(null, null, null);
    private static final ModelRef MODEL = new ModelRef("demo-colors", "1");
    private static final Names NAMES = new Names("flowtest");

    private final MutableClock clock = new MutableClock(T0);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeResultFeed feed = new FakeResultFeed();
    private final FakeImageFetcher fetcher = new FakeImageFetcher();
    private final FakeJobPublisher publisher = new FakeJobPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResultWaiter waiter = new ResultWaiter(feed, scheduler, Runnable::run, clock,
            Duration.ofSeconds(60), registry);

    private ImageFlow flow(long maxPixels) {
        return new ImageFlow(fetcher, publisher, waiter, "api-7", maxPixels, clock, registry);
    }

    private final ImageFlow flow = flow(1_000_000);

    /** What a worker stores for a job. */
    private static TagResult workerAnswer(JobMeta meta, Timings timings) {
        return TagResult.tags(meta, List.of(new Tag("red", 0.93), new Tag("bright", 0.4)), MODEL, timings);
    }

    private ImageJob onlyPublished() {
        List<ImageJob> jobs = publisher.published();
        assertEquals(1, jobs.size(), "published jobs");
        return jobs.get(0);
    }

    private void assertNothingPublishedOrAwaited() {
        assertEquals(List.of(), publisher.published());
        assertEquals(0, waiter.waiting());
    }

    @Test
    void thePublishedJobCarriesEverythingTheWorkerNeeds() {
        fetcher.serve(URL, PNG, 12.5);
        clock.set(T0 + 15);
        flow.tagUrl(URL, new ImageFlow.Options(3, 0.2, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                T0, DEADLINE);

        ImageJob job = onlyPublished();
        JobMeta m = job.meta();
        assertNotNull(m.requestId());
        assertEquals("api-7", m.replyTo());
        assertEquals(TrafficClass.REALTIME, m.trafficClass());
        assertEquals(T0, m.receivedAt());
        assertEquals(DEADLINE, m.deadline());
        assertEquals(T0 + 15, m.enqueuedAt());
        assertEquals(12.5, m.downloadMs());
        assertEquals(3, m.topK());
        assertEquals(0.2, m.minScore());
        assertEquals(URL, m.url());
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", m.traceparent());
        assertEquals("", m.model());
        assertEquals("image/png", job.contentType());
        assertArrayEquals(PNG, job.body());
        assertEquals(List.of(new FakeImageFetcher.Call(URL, DEADLINE)), fetcher.calls());
    }

    @Test
    void noTopKOrMinScoreTravelsAsNullSoTheWorkerUsesTheModelDefaults() {
        fetcher.serve(URL, PNG, 1);
        flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        JobMeta m = onlyPublished().meta();
        assertNull(m.topK());
        assertNull(m.minScore());
        assertNull(m.traceparent());
    }

    @Test
    void theContentTypeComesFromTheMagicBytesNotFromTheUrl() {
        fetcher.serve(URL, JPEG, 1); // ".png" in the URL, JPEG in the body
        flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        assertEquals("image/jpeg", onlyPublished().contentType());
    }

    @Test
    void eachImageGetsItsOwnRequestId() {
        fetcher.serve(URL, PNG, 1);
        flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        List<ImageJob> jobs = publisher.published();
        assertEquals(2, jobs.size());
        assertFalse(jobs.get(0).requestId().equals(jobs.get(1).requestId()));
    }

    @Test
    void theWorkersAnswerCompletesTheRequestWithTheApiStagesFilledIn() throws Exception {
        fetcher.serve(URL, PNG, 12.5);
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        publisher.answerWith(job -> confirm);
        clock.set(T0 + 20);
        CompletableFuture<TagResult> f = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        JobMeta meta = onlyPublished().meta();

        Thread.sleep(30); // the publish time is measured on the monotonic clock, not the test's
        confirm.complete(null);
        assertFalse(f.isDone(), "confirmed is not answered");
        clock.set(T0 + 400);
        waiter.onResult(workerAnswer(meta, Timings.builder().download(12.5).queue(5).preprocess(3).batchWait(1)
                .inference(20).total(350).batchSize(4).build()));

        TagResult r = f.getNow(null);
        assertNotNull(r);
        assertEquals(meta.requestId(), r.requestId());
        assertEquals(List.of(new Tag("red", 0.93), new Tag("bright", 0.4)), r.tags());
        Timings t = r.timings();
        assertEquals(12.5, t.download());
        assertTrue(t.publish() >= 25, "publish " + t.publish());
        assertEquals(5, t.queue());
        assertEquals(3, t.preprocess());
        assertEquals(1, t.batchWait());
        assertEquals(20, t.inference());
        assertEquals(50, t.result(), "result delivery: api total minus the worker's total");
        assertEquals(400, t.total());
        assertEquals(4, t.batchSize());
    }

    @Test
    void aWorkersErrorIsPassedOnWithTheApiStagesFilledIn() {
        fetcher.serve(URL, PNG, 1);
        CompletableFuture<TagResult> f = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        JobMeta meta = onlyPublished().meta();
        clock.set(T0 + 100);
        waiter.onResult(TagResult.error(meta, ErrorCode.UNDECODABLE, "JPEG: premature end", MODEL,
                new Timings(1, 0, 2, 0, 0, 0, 0, 60, 0)));

        TagResult r = f.getNow(null);
        assertEquals(ErrorCode.UNDECODABLE, r.error().code());
        assertEquals("JPEG: premature end", r.error().message());
        assertEquals(100, r.timings().total());
        assertEquals(40, r.timings().result());
    }

    @Test
    void aLostNotificationIsRecoveredAtTheDeadline() {
        fetcher.serve(URL, PNG, 1);
        CompletableFuture<TagResult> f = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        TagResult stored = workerAnswer(onlyPublished().meta(), Timings.NONE);
        feed.store(stored);

        scheduler.advance(Duration.ofMillis(DEADLINE - T0));

        assertEquals(stored.tags(), f.getNow(null).tags());
    }

    @Test
    void noAnswerByTheDeadlineBecomesDeadlineExceeded() {
        fetcher.serve(URL, PNG, 7);
        CompletableFuture<TagResult> f = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        String requestId = onlyPublished().requestId();

        scheduler.advance(Duration.ofMillis(DEADLINE - T0));

        TagResult r = f.getNow(null);
        assertNotNull(r, "the request must be answered at its deadline");
        assertEquals(requestId, r.requestId());
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, r.error().code());
        assertEquals("no result within the request deadline (waited 5000 ms after publishing)", r.error().message());
        assertEquals(URL, r.url());
        assertEquals(5000, r.timings().total());
        assertEquals(7, r.timings().download());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ErrorCode.class, names = {"INVALID_URL", "BLOCKED_ADDRESS", "DOWNLOAD_FAILED",
            "DOWNLOAD_TIMEOUT", "ORIGIN_STATUS", "TOO_MANY_REDIRECTS", "TOO_LARGE"})
    void aDownloadErrorBecomesAResultWithItsCodeAndIsNeverPublished(ErrorCode code) {
        fetcher.fail(URL, code, "why: " + code.code());
        clock.set(T0 + 30); // before the deadline: a download timeout is the download's own limit
        TagResult r = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE).getNow(null);

        assertNotNull(r, "a failed download must answer at once");
        assertEquals(code, r.error().code());
        assertEquals("why: " + code.code(), r.error().message());
        assertEquals(URL, r.url());
        assertNotNull(r.requestId());
        assertEquals(30, r.timings().total());
        assertNothingPublishedOrAwaited();
    }

    @Test
    void aDownloadTimeoutAtTheRequestDeadlineIsReportedAsDeadlineExceeded() {
        CompletableFuture<FetchedImage> download = fetcher.hold(URL);
        CompletableFuture<TagResult> f = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        clock.set(DEADLINE);
        download.completeExceptionally(new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT,
                "no complete body within 5000 ms"));

        TagResult r = f.getNow(null);
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, r.error().code());
        assertEquals("no complete body within 5000 ms", r.error().message());
        assertNothingPublishedOrAwaited();
    }

    @Test
    void aDownloadFinishingAfterTheDeadlineIsNotPublished() {
        CompletableFuture<FetchedImage> download = fetcher.hold(URL);
        CompletableFuture<TagResult> f = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        clock.set(DEADLINE);
        download.complete(new FetchedImage(URL, PNG, 5_000));

        TagResult r = f.getNow(null);
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, r.error().code());
        assertEquals("deadline passed before the image could be queued", r.error().message());
        assertEquals(5_000, r.timings().download());
        assertNothingPublishedOrAwaited();
    }

    @Test
    void bytesThatAreNotAnImageAreNeverPublished() {
        fetcher.serve(URL, "<html><body>Not found</body></html>".getBytes(US_ASCII), 3);
        TagResult r = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE).getNow(null);

        assertEquals(ErrorCode.NOT_AN_IMAGE, r.error().code());
        assertNothingPublishedOrAwaited();
    }

    @Test
    void anImageAboveThePixelCapIsNeverPublished() {
        fetcher.serve(URL, SampleImages.png(SampleImages.solid(2000, 1500, Color.GRAY)), 3);
        TagResult r = flow(2_000_000).tagUrl(URL, NO_OPTIONS, T0, DEADLINE).getNow(null);

        assertEquals(ErrorCode.TOO_MANY_PIXELS, r.error().code());
        assertEquals("image is 2000x1500 px (3.0 MP), limit 2.0 MP", r.error().message());
        assertNothingPublishedOrAwaited();
    }

    @Test
    void anUnreachableQueueAnswersUnavailableAndStopsWaiting() {
        fetcher.serve(URL, PNG, 1);
        publisher.refuseWith(new QueueUnavailableException("broker connection lost"));
        TagResult r = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE).getNow(null);

        assertEquals(ErrorCode.UNAVAILABLE, r.error().code());
        assertEquals("the image could not be queued: broker connection lost", r.error().message());
        assertEquals(0, waiter.waiting(), "the waiter must forget a request that was never accepted");
    }

    @Test
    void aFullQueueAnswersOverloadedAndStopsWaiting() {
        fetcher.serve(URL, PNG, 1);
        publisher.refuseWith(new QueueFullException("queue tagger.realtime is full (max length 10)"));
        TagResult r = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE).getNow(null);

        assertEquals(ErrorCode.OVERLOADED, r.error().code());
        assertEquals("queue tagger.realtime is full (max length 10)", r.error().message());
        assertEquals(0, waiter.waiting());
    }

    @Test
    void aPublishRefusedLaterStillAnswersAndForgetsTheRequest() {
        fetcher.serve(URL, PNG, 1);
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        publisher.answerWith(job -> confirm);
        CompletableFuture<TagResult> f = flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        assertEquals(1, waiter.waiting(), "registered before the publish, as the answer may beat the confirm");

        confirm.completeExceptionally(new QueueUnavailableException("confirm timed out"));

        assertEquals(ErrorCode.UNAVAILABLE, f.getNow(null).error().code());
        assertEquals(0, waiter.waiting());
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), feed.fetches(), "a forgotten request is never read back");
    }

    @Test
    void uploadedBytesArePublishedWithoutUrlOrDownloadTime() {
        clock.set(T0 + 2);
        CompletableFuture<TagResult> f = flow.tagBytes(JPEG, new ImageFlow.Options(1, null, null), T0, DEADLINE);

        ImageJob job = onlyPublished();
        assertNull(job.meta().url());
        assertEquals(0, job.meta().downloadMs());
        assertEquals(1, job.meta().topK());
        assertEquals("image/jpeg", job.contentType());
        assertEquals(List.of(), fetcher.calls());
        TagResult answer = workerAnswer(job.meta(), Timings.NONE);
        waiter.onResult(answer);
        assertNull(f.getNow(null).url());
        assertEquals(answer.tags(), f.getNow(null).tags());
    }

    @Test
    void uploadedBytesThatAreNotAnImageAreRefused() {
        TagResult r = flow.tagBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, NO_OPTIONS, T0, DEADLINE)
                .getNow(null);
        assertEquals(ErrorCode.NOT_AN_IMAGE, r.error().code());
        assertNull(r.url());
        assertNothingPublishedOrAwaited();
    }

    @Test
    void everyOutcomeIsCountedByItsCode() {
        fetcher.serve(URL, PNG, 1);
        fetcher.fail("https://x/404", ErrorCode.ORIGIN_STATUS, "404");
        flow.tagUrl("https://x/404", NO_OPTIONS, T0, DEADLINE);
        flow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        waiter.onResult(workerAnswer(onlyPublished().meta(), Timings.NONE));

        assertEquals(1.0, registry.get("tagger.api.images").tag("outcome", "origin_status").counter().count());
        assertEquals(1.0, registry.get("tagger.api.images").tag("outcome", "ok").counter().count());
    }
    // --- result cache ---

    private final FakeCacheReader cacheEntries = new FakeCacheReader();
    private final ImageFlow cachedFlow = new ImageFlow(fetcher, publisher, waiter,
            ResultCache.of(cacheEntries, List.of(MODEL), NAMES, registry), "api-7", 1_000_000, clock, registry);

    private void cache(byte[] image, List<Tag> tags) {
        cacheEntries.put(NAMES.cacheKey(Sha256.hex(image), MODEL),
                Json.write(new CachedTags(tags, MODEL, 5, 0.0, 5, 0.0, 10, true)));
    }

    @Test
    void aCacheHitAnswersAtOnceWithItsOwnRequestIdAndPublishesNothing() {
        cache(PNG, List.of(new Tag("red", 0.93), new Tag("bright", 0.4)));
        fetcher.serve(URL, PNG, 12.5);
        clock.set(T0 + 20);

        TagResult r = cachedFlow.tagUrl(URL, new ImageFlow.Options(1, null, null), T0, DEADLINE).getNow(null);

        assertNotNull(r, "answered without waiting");
        assertNothingPublishedOrAwaited();
        assertNotNull(r.requestId());
        assertEquals(URL, r.url());
        assertEquals(List.of(new Tag("red", 0.93)), r.tags(), "cut to the request's topK");
        assertEquals(MODEL, r.model());
        assertEquals(Timings.cacheHit(12.5, 20), r.timings());
    }

    @Test
    void twoHitsForTheSameBytesGetDifferentRequestIds() {
        cache(JPEG, List.of(new Tag("blue", 0.9)));
        TagResult a = cachedFlow.tagBytes(JPEG, NO_OPTIONS, T0, DEADLINE).getNow(null);
        TagResult b = cachedFlow.tagBytes(JPEG, NO_OPTIONS, T0, DEADLINE).getNow(null);
        assertFalse(a.requestId().equals(b.requestId()));
    }

    @Test
    void aMissIsPublishedWithTheContentHashAndItsAnswerSaysMiss() {
        fetcher.serve(URL, PNG, 1);
        CompletableFuture<TagResult> f = cachedFlow.tagUrl(URL, NO_OPTIONS, T0, DEADLINE);
        JobMeta meta = onlyPublished().meta();
        assertEquals(Sha256.hex(PNG), meta.contentHash());
        waiter.onResult(workerAnswer(meta, new Timings(1, 0, 5, 3, 1, 20, 0, 50, 1)));
        assertEquals(Timings.CACHE_MISS, f.getNow(null).timings().cache());
    }

    @Test
    void anOptedOutRequestIsPublishedEvenOnAHitAndCarriesNoHash() {
        cache(JPEG, List.of(new Tag("blue", 0.9)));
        cachedFlow.tagBytes(JPEG, new ImageFlow.Options(null, null, null, true), T0, DEADLINE);
        JobMeta meta = onlyPublished().meta();
        assertNull(meta.contentHash());
        assertEquals(List.of(), cacheEntries.reads());
    }
}
