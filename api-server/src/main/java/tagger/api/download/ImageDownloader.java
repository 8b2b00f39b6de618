package tagger.api.download;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import tagger.common.ErrorCode;
import tagger.common.Threads;
import tagger.common.TrafficClass;

/**
 * Downloads images from URLs strangers send, on OkHttp, behind the SSRF guard and within byte, time
 * and redirect limits.
 *
 * <p>Threads: downloads run asynchronously on at most {@link DownloadConfig#maxConcurrent()} dispatcher
 * threads named {@code tagger-download-N} (each reads one body at a time); waiting downloads hold no
 * thread. One thread, {@code tagger-download-deadlines}, ends downloads that run out of time, counting
 * from {@link #fetch}, so time spent waiting for a slot counts too. It only ends them: the callers'
 * futures of timed-out downloads complete on {@value #COMPLETERS} threads {@code tagger-download-completer-N},
 * so what callers chain to them (their error answer, written to their client) never holds up the
 * next deadline. Every other outcome completes on the dispatcher thread that saw it.
 *
 * <p>Redirects are followed here, not by OkHttp, so every hop's scheme and address is checked again.
 * No proxy is ever used: a proxy resolves and connects on our behalf, past every check.
 */
public final class ImageDownloader implements ImageFetcher {
    /** Threads completing timed-out downloads: more than one, so one slow caller cannot queue the rest. */
    static final int COMPLETERS = 4;

    private final DownloadConfig config;
    private final UrlGuard guard;
    private final OkHttpClient client;
    private final ThreadPoolExecutor dispatcherThreads;
    private final ScheduledThreadPoolExecutor deadlines;
    private final ThreadPoolExecutor completer;
    private final DownloadMetrics metrics;
    private final Clock clock;
    private final Set<Download> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** The real-time downloader; its meters are tagged {@code traffic=realtime}. */
    public ImageDownloader(DownloadConfig config, MeterRegistry registry) {
        this(config, registry, TrafficClass.REALTIME);
    }

    /**
     * A downloader for one traffic class: each class gets its own instance, so its own threads,
     * connections and limits, and bulk downloads never take a real-time slot.
     */
    public ImageDownloader(DownloadConfig config, MeterRegistry registry, TrafficClass traffic) {
        this(config, registry, AddressPolicy.standard(config.allowPrivateNetworks()), Dns.SYSTEM, Clock.systemUTC(),
                traffic);
    }

    /** For tests: a different address rule, resolver or clock. */
    ImageDownloader(DownloadConfig config, MeterRegistry registry, AddressPolicy policy, Dns dns, Clock clock) {
        this(config, registry, policy, dns, clock, TrafficClass.REALTIME);
    }

    private ImageDownloader(DownloadConfig config, MeterRegistry registry, AddressPolicy policy, Dns dns, Clock clock,
            TrafficClass traffic) {
        this.config = config;
        this.guard = new UrlGuard(policy);
        this.clock = clock;
        // The dispatcher never runs more than maxConcurrent calls, so neither the pool nor its queue
        // can overflow; the queue absorbs the moment between a call finishing and its thread being free.
        this.dispatcherThreads = new ThreadPoolExecutor(config.maxConcurrent(), config.maxConcurrent(),
                30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.maxConcurrent()),
                Threads.named(traffic == TrafficClass.REALTIME ? "tagger-download" : "tagger-download-" + traffic.key()));
        dispatcherThreads.allowCoreThreadTimeOut(true);
        this.deadlines = new ScheduledThreadPoolExecutor(1, Threads.single(traffic == TrafficClass.REALTIME
                ? "tagger-download-deadlines" : "tagger-download-" + traffic.key() + "-deadlines"));
        deadlines.setRemoveOnCancelPolicy(true); // finished downloads must not leave their timers queued
        this.completer = new ThreadPoolExecutor(COMPLETERS, COMPLETERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Threads.named(traffic == TrafficClass.REALTIME
                        ? "tagger-download-completer" : "tagger-download-" + traffic.key() + "-completer"));
        completer.allowCoreThreadTimeOut(true);
        Dispatcher dispatcher = new Dispatcher(dispatcherThreads);
        dispatcher.setMaxRequests(config.maxConcurrent());
        dispatcher.setMaxRequestsPerHost(config.maxPerHost());
        this.client = GuardedClients.builder(config, policy, dns)
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(config.maxConcurrent(), 1, TimeUnit.MINUTES))
                .build();
        this.metrics = new DownloadMetrics(registry, inFlight::size, traffic.key());
    }

    @Override
    public CompletableFuture<FetchedImage> fetch(String url, long deadlineEpochMs) {
        long startNanos = System.nanoTime();
        try {
            if (closed) {
                throw new DownloadException(ErrorCode.DOWNLOAD_FAILED, "downloader is closed");
            }
            HttpUrl target = guard.check(url);
            long total = config.totalTimeout().toMillis();
            long untilDeadline = deadlineEpochMs - clock.millis();
            if (untilDeadline <= 0) {
                throw new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT,
                        "the caller's deadline passed " + -untilDeadline + " ms before the download started");
            }
            String timeoutMessage = total <= untilDeadline
                    ? "download did not finish within the total limit of " + total + " ms"
                    : "download did not finish within " + untilDeadline + " ms, before the caller's deadline";
            Download download = new Download(client, guard, config, this::finished, startNanos, completer);
            inFlight.add(download);
            try {
                download.start(target, deadlines, Math.min(total, untilDeadline), timeoutMessage);
            } catch (RejectedExecutionException e) { // closed meanwhile
                download.stop(new DownloadException(ErrorCode.DOWNLOAD_FAILED, "downloader is closed", e));
            }
            return download.result();
        } catch (DownloadException e) {
            metrics.failed(System.nanoTime() - startNanos, e.code().code());
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Downloads started and not yet finished, including those waiting for a connection slot. */
    @Override
    public int active() {
        return inFlight.size();
    }

    /** Fails every unfinished download, then stops the dispatcher threads and closes pooled connections. */
    @Override
    public void close() {
        closed = true;
        for (Download download : inFlight) {
            download.stop(new DownloadException(ErrorCode.DOWNLOAD_FAILED, "downloader closed before the download finished"));
        }
        client.dispatcher().cancelAll();
        deadlines.shutdownNow();
        completer.shutdown(); // completions already handed over still run
        dispatcherThreads.shutdown();
        client.connectionPool().evictAll();
        try {
            // Cancelled calls fail fast, so this normally returns at once; the bound covers a stuck callback.
            if (!dispatcherThreads.awaitTermination(2, TimeUnit.SECONDS)) {
                dispatcherThreads.shutdownNow();
            }
            deadlines.awaitTermination(1, TimeUnit.SECONDS);
            completer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            dispatcherThreads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} has stopped every thread this downloader started. */
    boolean terminated() {
        return dispatcherThreads.isTerminated() && deadlines.isTerminated() && completer.isTerminated();
    }

    private void finished(Download download, long nanos, String outcome, FetchedImage image) {
        inFlight.remove(download);
        if (image != null) {
            metrics.succeeded(nanos, image.body().length);
        } else {
            metrics.failed(nanos, outcome);
        }
    }
}
