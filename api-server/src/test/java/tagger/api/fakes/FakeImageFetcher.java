package tagger.api.fakes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tagger.api.download.DownloadException;
import tagger.api.download.FetchedImage;
import tagger.api.download.ImageFetcher;
import tagger.common.ErrorCode;

/**
 * A fetcher answering from a table the test fills: bytes, a download error, or a download held open
 * until the test completes it. Unknown URLs answer like an origin's 404.
 */
public final class FakeImageFetcher implements ImageFetcher {
    /** One call to {@link #fetch}. */
    public record Call(String url, long deadline) {
    }

    private final Map<String, CompletableFuture<FetchedImage>> answers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** The URL downloads {@code body}, reporting {@code millis} as its download time. */
    public void serve(String url, byte[] body, double millis) {
        answers.put(url, CompletableFuture.completedFuture(new FetchedImage(url, body, millis)));
    }

    public void fail(String url, ErrorCode code, String message) {
        answers.put(url, CompletableFuture.failedFuture(new DownloadException(code, message)));
    }

    /** The URL's download stays open until the test completes the returned future. */
    public CompletableFuture<FetchedImage> hold(String url) {
        CompletableFuture<FetchedImage> f = new CompletableFuture<>();
        answers.put(url, f);
        return f;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<FetchedImage> fetch(String url, long deadlineEpochMs) {
        calls.add(new Call(url, deadlineEpochMs));
        CompletableFuture<FetchedImage> answer = answers.get(url);
        if (answer == null) {
            return CompletableFuture.failedFuture(new DownloadException(ErrorCode.ORIGIN_STATUS,
                    "origin answered HTTP 404 for " + url));
        }
        // a copy, so that a test's completion of a held download reaches this caller only
        return answer.thenApply(image -> image);
    }

    @Override
    public int active() {
        return (int) answers.values().stream().filter(f -> !f.isDone()).count();
    }

    @Override
    public void close() {
        closed = true;
    }
}
