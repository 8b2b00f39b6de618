package tagger.api.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import tagger.api.flow.ImageFlow;
import tagger.api.tracing.HttpSpan;
import tagger.common.ErrorCode;
import tagger.common.Json;
import tagger.common.TagResult;
import tagger.transport.JobPublisher;

/**
 * {@code POST /v1/tags}: one URL, a list of URLs, or raw image bytes. The handler parses, checks
 * capacity, starts one {@link ImageFlow} per image and answers when all are done, without holding
 * a server thread while it waits.
 */
public final class TagsHandler {
    private final ImageFlow flow;
    private final JobPublisher publisher;
    private final Clock clock;
    private final Limits limits;
    private final Semaphore inflight;

    /** Request limits the handler enforces. */
    public record Limits(int maxUrls, long maxImageBytes, int maxInflight, java.time.Duration defaultTimeout,
            java.time.Duration maxTimeout) {
    }

    public TagsHandler(ImageFlow flow, JobPublisher publisher, Clock clock, Limits limits) {
        this.flow = flow;
        this.publisher = publisher;
        this.clock = clock;
        this.limits = limits;
        this.inflight = new Semaphore(limits.maxInflight());
    }

    /** Images being handled right now. */
    public int inflight() {
        return limits.maxInflight() - inflight.availablePermits();
    }

    public void handle(Context ctx) {
        HttpSpan span = HttpSpan.start(ctx, "POST /v1/tags");
        boolean async = false;
        try {
            async = handleTraced(ctx, span);
        } finally {
            span.leaveThread();
            if (!async) {
                span.end(ctx);
            }
        }
    }

    /** True when the answer comes later (the span then ends with it). */
    private boolean handleTraced(Context ctx, HttpSpan span) {
        long receivedAt = clock.millis();
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
        boolean bytes = contentType.startsWith("image/") || contentType.startsWith("application/octet-stream");
        TagRequest request;
        byte[] body = ctx.bodyAsBytes();
        try {
            if (bytes) {
                if (body.length == 0) {
                    throw RequestException.invalid("image body is empty");
                }
                request = TagRequest.parseQuery(ctx.queryParam("topK"), ctx.queryParam("minScore"),
                        ctx.queryParam("timeoutMs"), ctx.queryParam("cache"), limits.defaultTimeout(),
                        limits.maxTimeout());
            } else if (contentType.isEmpty() || contentType.startsWith("application/json")) {
                request = TagRequest.parseJson(body, limits.maxUrls(), limits.defaultTimeout(), limits.maxTimeout());
            } else {
                throw RequestException.invalid("Content-Type must be application/json or image/*, got '"
                        + ctx.contentType() + "'");
            }
        } catch (RequestException e) {
            RequestErrors.refuse(ctx, e);
            return false;
        }
        if (!publisher.isReady()) {
            RequestErrors.refuse(ctx, RequestCode.UNAVAILABLE, "the queue is not reachable right now; retry later");
            return false;
        }
        int images = request.isList() ? request.urls().size() : 1;
        if (!inflight.tryAcquire(images)) {
            ctx.header("Retry-After", Statuses.RETRY_AFTER_SECONDS);
            RequestErrors.refuse(ctx, RequestCode.OVERLOADED, "this server holds " + limits.maxInflight()
                    + " images in flight, its limit; retry after " + Statuses.RETRY_AFTER_SECONDS + " s");
            return false;
        }
        long deadline = receivedAt + request.timeout().toMillis();
        ImageFlow.Options options = new ImageFlow.Options(request.topK(), request.minScore(),
                span.traceparent(), !request.cache(), span.tracestate());
        CompletableFuture<?> done;
        if (bytes) {
            done = flow.tagBytes(body, options, receivedAt, deadline).thenAccept(r -> single(ctx, r));
        } else if (!request.isList()) {
            done = flow.tagUrl(request.url(), options, receivedAt, deadline).thenAccept(r -> single(ctx, r));
        } else {
            List<CompletableFuture<TagResult>> items = new ArrayList<>();
            for (String url : request.urls()) {
                items.add(flow.tagUrl(url, options, receivedAt, deadline));
            }
            done = CompletableFuture.allOf(items.toArray(CompletableFuture[]::new))
                    .thenAccept(v -> list(ctx, items.stream().map(CompletableFuture::join).toList(), receivedAt));
        }
        ctx.future(() -> done.whenComplete((v, e) -> {
            inflight.release(images);
            span.end(ctx);
        }));
        return true;
    }

    private void single(Context ctx, TagResult r) {
        int status = Statuses.of(r.failed() ? r.error().code() : null);
        if (status == 429) {
            ctx.header("Retry-After", Statuses.RETRY_AFTER_SECONDS);
        }
        if (r.timings() != null) {
            ctx.header("Server-Timing", ServerTiming.of(r.timings()));
        }
        ctx.status(status).contentType("application/json").result(Json.writeBytes(r));
    }

    private void list(Context ctx, List<TagResult> results, long receivedAt) {
        ctx.header("Server-Timing", ServerTiming.ofList(results, clock.millis() - receivedAt));
        // a list fails as a whole only when no item could be queued at all (retry everything later)
        boolean allUnavailable = results.stream().allMatch(r -> r.failed() && r.error().code() == ErrorCode.UNAVAILABLE);
        boolean allShed = results.stream().allMatch(r -> r.failed() && r.error().code() == ErrorCode.OVERLOADED);
        int status = allUnavailable ? 503 : allShed ? 429 : 200;
        if (status == 429) {
            ctx.header("Retry-After", Statuses.RETRY_AFTER_SECONDS);
        }
        ctx.status(status).contentType("application/json").result(Json.writeBytes(Map.of("results", results)));
    }
}
