package tagger.api.flow;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tagger.api.cache.ResultCache;
import tagger.api.download.DownloadException;
import tagger.api.download.ImageFetcher;
import tagger.imaging.ImageInfo;
import tagger.imaging.ImageRejectedException;
import tagger.api.results.DeadlineExceededException;
import tagger.api.results.ResultWaiter;
import tagger.api.tracing.FlowSpans;
import tagger.common.ErrorCode;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.TagResult;
import tagger.common.Timings;
import tagger.common.TrafficClass;
import tagger.transport.JobPublisher;
import tagger.transport.QueueFullException;
import tagger.transport.StoreUnavailableException;
import tagger.tracing.Exemplars;

/**
 * The api-server's path for one image: download (for URLs), identify and check the header, answer
 * from the result cache if it can, else publish with confirm and wait for the worker's result.
 *
 * <p>Every returned future completes normally: failures become a {@link TagResult} with an error
 * code, so a list of images can never fail as a whole because one item did. Nothing here blocks; the
 * continuations run on the threads that complete each stage (OkHttp's dispatcher, the downloader's
 * completer for downloads ended by their deadline, the publisher's confirm thread, the result waiter's
 * completer), never on a timer thread that other deadlines wait for.
 */
public final class ImageFlow {
    private final ImageFetcher fetcher;
    private final JobPublisher publisher;
    private final ResultWaiter waiter;
    private final String instanceId;
    private final long maxPixels;
    private final Clock clock;
    private final StageMetrics metrics;
    private final ResultCache cache;

    /**
     * Per-request choices that travel to the worker; null means the model's default.
     *
     * @param noCache the caller opted out of the result cache (no lookup, and the result is not cached)
     * @param tracestate W3C trace state going with {@code traceparent}, or null
     */
    public record Options(Integer topK, Double minScore, String traceparent, boolean noCache, String tracestate) {
        public Options(Integer topK, Double minScore, String traceparent) {
            this(topK, minScore, traceparent, false);
        }

        public Options(Integer topK, Double minScore, String traceparent, boolean noCache) {
            this(topK, minScore, traceparent, noCache, null);
        }
    }

    /** A flow without the result cache. */
    public ImageFlow(ImageFetcher fetcher, JobPublisher publisher, ResultWaiter waiter, String instanceId,
            long maxPixels, Clock clock, MeterRegistry registry) {
        this(fetcher, publisher, waiter, ResultCache.off(registry), instanceId, maxPixels, clock, registry);
    }

    public ImageFlow(ImageFetcher fetcher, JobPublisher publisher, ResultWaiter waiter, ResultCache cache,
            String instanceId, long maxPixels, Clock clock, MeterRegistry registry) {
        this.cache = cache;
        this.fetcher = fetcher;
        this.publisher = publisher;
        this.waiter = waiter;
        this.instanceId = instanceId;
        this.maxPixels = maxPixels;
        this.clock = clock;
        this.metrics = new StageMetrics(registry);
    }

    /** Tags the image at {@code url}. */
    public CompletableFuture<TagResult> tagUrl(String url, Options options, long receivedAt, long deadline) {
        Attempt a = new Attempt(UUID.randomUUID().toString(), url, receivedAt, deadline, options);
        return FlowSpans.download(options.traceparent(), url, () -> fetcher.fetch(url, deadline))
                .thenCompose(image -> {
                    a.downloadMs = image.millis();
                    return submit(a, image.body());
                })
                .exceptionally(e -> failed(a, e))
                .thenApply(r -> Exemplars.within(options.traceparent(), () -> record(r)));
    }

    /** Tags an image uploaded as bytes. */
    public CompletableFuture<TagResult> tagBytes(byte[] body, Options options, long receivedAt, long deadline) {
        Attempt a = new Attempt(UUID.randomUUID().toString(), null, receivedAt, deadline, options);
        return CompletableFuture.completedFuture(body)
                .thenCompose(b -> submit(a, b))
                .exceptionally(e -> failed(a, e))
                .thenApply(r -> Exemplars.within(options.traceparent(), () -> record(r)));
    }

    private CompletableFuture<TagResult> submit(Attempt a, byte[] body) {
        // throws ImageRejectedException (not an image, too many pixels), turned into a result by failed()
        ImageInfo info = ImageInfo.read(body).requireAtMostPixels(maxPixels);
        long now = clock.millis();
        if (now >= a.deadline) {
            throw new DeadlineExceededException("deadline passed before the image could be queued");
        }
        ResultCache.Lookup cached = cache.lookup(body, a.options.topK(), a.options.minScore(), a.options.noCache(),
                TrafficClass.REALTIME);
        if (cached.hit() != null) {
            return CompletableFuture.completedFuture(cacheHit(a, cached.hit()));
        }
        Span publishSpan = FlowSpans.publish(a.options.traceparent(), a.options.tracestate());
        JobMeta meta = JobMeta.realtime(a.requestId, instanceId, a.receivedAt, a.deadline, a.options.topK(),
                a.options.minScore(), FlowSpans.jobTraceparent(publishSpan, a.options.traceparent()))
                .withTracestate(FlowSpans.jobTracestate(publishSpan, a.options.tracestate()))
                .withDownload(a.url, a.downloadMs).withEnqueuedAt(now).withContentHash(cached.contentHash());
        Span waitSpan = FlowSpans.resultWait(a.options.traceparent());
        CompletableFuture<TagResult> result = waiter.expect(a.requestId, a.deadline, waitSpan);
        result.whenComplete((r, e) -> FlowSpans.end(waitSpan, e));
        long publishStart = System.nanoTime();
        CompletableFuture<Void> published;
        try {
            published = publisher.publish(new ImageJob(meta, info.format().mimeType(), body));
        } catch (RuntimeException e) {
            published = CompletableFuture.failedFuture(e); // a publisher must not throw; if one does, don't leak the wait
        }
        published.whenComplete((ok, err) -> {
            FlowSpans.confirmed(publishSpan, err);
            a.publishMs = (System.nanoTime() - publishStart) / 1e6;
            if (err != null) {
                waiter.forget(a.requestId);
                result.completeExceptionally(err);
            }
        });
        return result.thenApply(r -> withApiTimings(a, r, cached.verdict()));
    }

    private TagResult withApiTimings(Attempt a, TagResult r, String cacheVerdict) {
        Timings t = r.timings() == null ? Timings.NONE : r.timings();
        double total = clock.millis() - a.receivedAt;
        // the worker's "total" ends when it stored the result; the rest is delivery to us
        double delivery = Math.max(0, total - t.total());
        // an edge publisher preprocesses before publishing: that time is edgePreprocess, not publish
        double publish = Math.max(0, a.publishMs - t.edgePreprocess());
        return r.withTimings(t.withApiStages(publish, delivery, total).withCache(cacheVerdict));
    }

    /** The answer from the result cache: this request's own id, no stage but the download ran. */
    private TagResult cacheHit(Attempt a, ResultCache.Hit hit) {
        double total = clock.millis() - a.receivedAt;
        return new TagResult(a.requestId, a.url, null, hit.tags(), hit.model(), Timings.cacheHit(a.downloadMs, total),
                null);
    }

    private TagResult failed(Attempt a, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        ErrorCode code;
        String message = cause.getMessage();
        if (cause instanceof DownloadException d) {
            boolean pastDeadline = clock.millis() >= a.deadline;
            code = d.code() == ErrorCode.DOWNLOAD_TIMEOUT && pastDeadline ? ErrorCode.DEADLINE_EXCEEDED : d.code();
        } else if (cause instanceof ImageRejectedException r) {
            code = r.code();
        } else if (cause instanceof DeadlineExceededException) {
            code = ErrorCode.DEADLINE_EXCEEDED;
        } else if (cause instanceof QueueFullException) {
            code = ErrorCode.OVERLOADED;
        } else if (cause instanceof StoreUnavailableException) {
            code = ErrorCode.UNAVAILABLE; // queued, but its result can no longer reach us
        } else {
            // QueueUnavailableException, or anything unexpected: the item was not accepted
            code = ErrorCode.UNAVAILABLE;
            message = "the image could not be queued: " + message;
        }
        double total = clock.millis() - a.receivedAt;
        Timings t = Timings.builder().download(a.downloadMs).publish(a.publishMs).total(total).build();
        return TagResult.error(a.requestId, a.url, code, message, t);
    }

    private TagResult record(TagResult r) {
        metrics.record(r);
        return r;
    }

    /** Mutable facts about one image request, written by one stage at a time. */
    private static final class Attempt {
        final String requestId;
        final String url;
        final long receivedAt;
        final long deadline;
        final Options options;
        volatile double downloadMs;
        volatile double publishMs;

        Attempt(String requestId, String url, long receivedAt, long deadline, Options options) {
            this.requestId = requestId;
            this.url = url;
            this.receivedAt = receivedAt;
            this.deadline = deadline;
            this.options = options;
        }
    }
}
