package tagger.api.download;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import tagger.common.ErrorCode;

/**
 * A bulkhead per origin host in front of a fetcher: at most {@code perHost} downloads from one host at a
 * time, and a download beyond that is refused at once ({@code overloaded}, 429 with {@code Retry-After})
 * instead of queueing for a slot. So a host that hangs holds at most {@code perHost} of the
 * downloader's slots until its downloads time out, and the rest stay free for healthy hosts; nothing
 * waits in a queue past its deadline. Host names are compared lower-case, ports ignored, as OkHttp
 * counts them.
 */
public final class HostBulkhead implements ImageFetcher {
    private final ImageFetcher downloader;
    private final int perHost;
    private final Counter refused;
    private final Map<String, Integer> inFlight = new HashMap<>(); // guarded by this

    public HostBulkhead(ImageFetcher downloader, int perHost, MeterRegistry registry) {
        if (perHost < 1) {
            throw new IllegalArgumentException("downloads per host must be at least 1, got " + perHost);
        }
        this.downloader = downloader;
        this.perHost = perHost;
        this.refused = Counter.builder("tagger.api.download.refused")
                .description("real-time downloads refused because their host had all its slots busy")
                .tag("reason", "host_limit").register(registry);
    }

    @Override
    public CompletableFuture<FetchedImage> fetch(String url, long deadlineEpochMs) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            return downloader.fetch(url, deadlineEpochMs); // refused there, with the reason
        }
        String host = parsed.host().toLowerCase(Locale.ROOT);
        if (!tryAcquire(host)) {
            refused.increment();
            return CompletableFuture.failedFuture(new DownloadException(ErrorCode.OVERLOADED, "origin host '" + host
                    + "' already has " + perHost + " downloads in flight, the limit per host; retry after 1 s"));
        }
        CompletableFuture<FetchedImage> download;
        try {
            download = downloader.fetch(url, deadlineEpochMs);
        } catch (RuntimeException e) {
            release(host);
            throw e;
        }
        return download.whenComplete((image, error) -> release(host));
    }

    private synchronized boolean tryAcquire(String host) {
        int n = inFlight.getOrDefault(host, 0);
        if (n >= perHost) {
            return false;
        }
        inFlight.put(host, n + 1);
        return true;
    }

    private synchronized void release(String host) {
        int n = inFlight.getOrDefault(host, 0);
        if (n <= 1) {
            inFlight.remove(host);
        } else {
            inFlight.put(host, n - 1);
        }
    }

    @Override
    public int active() {
        return downloader.active();
    }

    @Override
    public void close() {
        downloader.close();
    }
}
