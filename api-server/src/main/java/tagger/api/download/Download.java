package tagger.api.download;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import tagger.api.tracing.FlowSpans;
import tagger.common.ErrorCode;

/**
 * One download: a chain of OkHttp calls, one per redirect hop, that ends in exactly one completion of
 * {@link #result()}.
 *
 * <p>Threads: hops run on the downloader's dispatcher threads, one at a time; {@link #stop} may come
 * from any thread ({@code close()}, a caller cancelling). Whoever finishes first wins; the others find
 * it finished and only cancel the current call. The deadline timer ends the download itself but hands
 * the completion of {@link #result()}, and so every stage the caller chained to it, to {@code completer}:
 * the timer is one thread shared by all downloads, and a timer busy with one caller's answer would
 * fire every other download's deadline late.
 */
final class Download implements Callback {

    /** Told once per download, before its future completes, so bookkeeping is done when callers look. */
    @FunctionalInterface
    interface Listener {
        /** {@code outcome} is "ok", an error code, or "cancelled"; {@code image} is null unless ok. */
        void finished(Download download, long nanos, String outcome, FetchedImage image);
    }

    private final OkHttpClient client;
    private final UrlGuard guard;
    private final DownloadConfig config;
    private final Listener listener;
    private final long startNanos;
    private final Executor completer;
    private final CompletableFuture<FetchedImage> result = new CompletableFuture<>();
    private final Span span = Span.current(); // the caller's download span, if tracing records one
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile ScheduledFuture<?> deadline;
    private Call current; // guarded by this
    // Only the thread handling the current hop touches this; enqueue() orders one hop after the previous.
    private int redirects;

    Download(OkHttpClient client, UrlGuard guard, DownloadConfig config, Listener listener, long startNanos,
            Executor completer) {
        this.completer = completer;
        this.client = client;
        this.guard = guard;
        this.config = config;
        this.listener = listener;
        this.startNanos = startNanos;
        result.whenComplete((image, failure) -> {
            if (failure instanceof CancellationException) { // the caller gave up: stop spending on it
                stop(null);
            }
        });
    }

    CompletableFuture<FetchedImage> result() {
        return result;
    }

    /**
     * Starts the first hop, ending the download with {@code timeoutMessage} after {@code budgetMillis}.
     *
     * @throws java.util.concurrent.RejectedExecutionException if {@code timer} is shut down
     */
    void start(HttpUrl url, ScheduledExecutorService timer, long budgetMillis, String timeoutMessage) {
        deadline = timer.schedule(() -> expire(new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT, timeoutMessage)),
                budgetMillis, TimeUnit.MILLISECONDS);
        send(url);
    }

    private void send(HttpUrl url) {
        Call call = client.newCall(new Request.Builder()
                .url(url)
                .header("User-Agent", config.userAgent())
                // The formats ImageInfo identifies; a negotiating CDN would otherwise be free to pick AVIF.
                .header("Accept", "image/webp,image/jpeg,image/png,image/gif,image/bmp;q=0.9,*/*;q=0.1")
                .build());
        synchronized (this) {
            if (finished.get()) {
                return; // stopped between two hops
            }
            current = call;
        }
        call.enqueue(this);
    }

    /** Ends the download with {@code reason} (null: the caller cancelled) unless it ended, and drops its connection. */
    void stop(DownloadException reason) {
        finish(null, reason);
        cancelCurrent();
    }

    /** The deadline timer's task: like {@link #stop}, but the caller's future completes on {@code completer}. */
    private void expire(DownloadException reason) {
        finish(null, reason, completer);
        cancelCurrent();
    }

    private void cancelCurrent() {
        Call call;
        synchronized (this) {
            call = current;
        }
        if (call != null) {
            call.cancel();
        }
    }

    @Override
    public void onFailure(Call call, IOException e) {
        finish(null, DownloadFailures.describe(e, config));
    }

    @Override
    public void onResponse(Call call, Response response) {
        try {
            FlowSpans.event(span, "origin answer", FlowSpans.originAnswer(response.code(), response.header("Retry-After"),
                    response.request().url().toString()));
            HttpUrl next = redirectTarget(response);
            if (next != null) {
                FlowSpans.event(span, "redirect", Attributes.of(AttributeKey.stringKey("server.address"), next.host()));
                response.close();
                send(next);
            } else if (!response.isSuccessful()) {
                // No cancel: OkHttp drains a short error body and keeps the connection for the next image.
                finish(null, new OriginStatusException(response.code(), response.header("Retry-After"),
                        "origin answered HTTP " + response.code() + statusText(response)));
            } else {
                byte[] body = readCapped(response.body());
                finish(new FetchedImage(response.request().url().toString(), body, millisSinceStart()), null);
            }
        } catch (DownloadException e) {
            failAndDrop(call, e);
        } catch (IOException e) {
            failAndDrop(call, DownloadFailures.describe(e, config));
        } catch (RuntimeException e) {
            // OkHttp does not call onFailure for exceptions thrown from onResponse; never leave the future open.
            failAndDrop(call, new DownloadException(ErrorCode.DOWNLOAD_FAILED, "download failed: " + e, e));
        } finally {
            response.close();
        }
    }

    /**
     * Cancels before the response is closed: closing an unfinished body makes OkHttp read on for up to
     * 100 ms to save the connection, which would let an oversized body keep streaming.
     */
    private void failAndDrop(Call call, DownloadException e) {
        call.cancel();
        finish(null, e);
    }

    private void finish(FetchedImage image, DownloadException failure) {
        finish(image, failure, Runnable::run);
    }

    /**
     * The one place the download ends: bookkeeping first, then the caller's future, completed on
     * {@code completeOn} (the calling thread itself everywhere but on the deadline timer).
     */
    private void finish(FetchedImage image, DownloadException failure, Executor completeOn) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> timer = deadline;
        if (timer != null) {
            timer.cancel(false);
        }
        String outcome = image != null ? "ok" : failure != null ? failure.code().code() : "cancelled";
        listener.finished(this, System.nanoTime() - startNanos, outcome, image);
        Runnable complete = () -> {
            if (image != null) {
                result.complete(image);
            } else if (failure != null) {
                result.completeExceptionally(failure);
            }
        };
        try {
            completeOn.execute(complete);
        } catch (RejectedExecutionException e) { // the downloader is closing: never leave the future open
            complete.run();
        }
    }

    private HttpUrl redirectTarget(Response response) {
        int code = response.code();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
            return null;
        }
        String location = response.header("Location");
        if (location == null || location.isBlank()) {
            throw new DownloadException(ErrorCode.ORIGIN_STATUS,
                    "origin answered HTTP " + code + " without a Location header");
        }
        if (redirects == config.maxRedirects()) {
            throw new DownloadException(ErrorCode.TOO_MANY_REDIRECTS, "more than " + config.maxRedirects()
                    + " redirects; redirect " + (redirects + 1) + " pointed to " + UrlGuard.quote(location));
        }
        redirects++;
        return guard.checkRedirect(response.request().url(), location);
    }

    /** Reads the body, refusing as soon as it passes the byte limit, whatever Content-Length said. */
    private byte[] readCapped(ResponseBody body) throws IOException {
        long max = config.maxBytes();
        long declared = body.contentLength(); // -1 when absent or chunked
        if (declared > max) {
            throw new DownloadException(ErrorCode.TOO_LARGE,
                    "origin declares " + declared + " bytes (Content-Length), limit " + max);
        }
        BufferedSource source = body.source();
        if (source.request(max + 1)) {
            throw new DownloadException(ErrorCode.TOO_LARGE,
                    "body is larger than the limit of " + max + " bytes; stopped reading after "
                            + source.getBuffer().size());
        }
        return source.getBuffer().readByteArray();
    }

    private static String statusText(Response response) {
        String reason = response.message().strip(); // origin-controlled: keep it short
        return reason.isEmpty() ? "" : " " + (reason.length() > 100 ? reason.substring(0, 100) + "..." : reason);
    }

    private double millisSinceStart() {
        return (System.nanoTime() - startNanos) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
