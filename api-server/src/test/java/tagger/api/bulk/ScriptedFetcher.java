package tagger.api.bulk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import tagger.api.download.DownloadException;
import tagger.api.download.FetchedImage;
import tagger.api.download.ImageFetcher;
import tagger.api.download.OriginStatusException;
import tagger.common.ErrorCode;

/**
 * A fetcher answering each URL from a script the test writes (a list of answers, the last one
 * repeating), that counts calls and the downloads running per host at once.
 */
final class ScriptedFetcher implements ImageFetcher {
    private final Map<String, ArrayDeque<Supplier<CompletableFuture<FetchedImage>>>> scripts = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, Integer> mostRunning = new HashMap<>();
    private final List<CompletableFuture<FetchedImage>> held = new ArrayList<>();

    synchronized ScriptedFetcher then(String url, Supplier<CompletableFuture<FetchedImage>> answer) {
        scripts.computeIfAbsent(url, u -> new ArrayDeque<>()).addLast(answer);
        return this;
    }

    ScriptedFetcher image(String url, byte[] body) {
        return then(url, () -> CompletableFuture.completedFuture(new FetchedImage(url, body, 2.5)));
    }

    ScriptedFetcher status(String url, int status) {
        return then(url, () -> CompletableFuture.failedFuture(new OriginStatusException(status, "0",
                "origin answered HTTP " + status)));
    }

    ScriptedFetcher error(String url, ErrorCode code, String message) {
        return then(url, () -> CompletableFuture.failedFuture(new DownloadException(code, message)));
    }

    /** Downloads of {@code url} stay open until {@link #releaseAll}. */
    ScriptedFetcher hold(String url) {
        return then(url, () -> {
            CompletableFuture<FetchedImage> f = new CompletableFuture<>();
            synchronized (this) {
                held.add(f);
            }
            return f;
        });
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized int mostRunning(String host) {
        return mostRunning.getOrDefault(host, 0);
    }

    synchronized int heldCount() {
        return held.size();
    }

    void releaseAll(byte[] body) {
        List<CompletableFuture<FetchedImage>> open;
        synchronized (this) {
            open = List.copyOf(held);
            held.clear();
        }
        open.forEach(f -> f.complete(new FetchedImage("held", body, 1)));
    }

    @Override
    public CompletableFuture<FetchedImage> fetch(String url, long deadlineEpochMs) {
        Supplier<CompletableFuture<FetchedImage>> answer;
        String host = HttpUrl.get(url).host();
        synchronized (this) {
            calls.add(url);
            ArrayDeque<Supplier<CompletableFuture<FetchedImage>>> script = scripts.get(url);
            answer = script == null ? null : script.size() > 1 ? script.pollFirst() : script.peekFirst();
            int now = running.merge(host, 1, Integer::sum);
            mostRunning.merge(host, now, Math::max);
        }
        CompletableFuture<FetchedImage> f = answer == null
                ? CompletableFuture.failedFuture(new OriginStatusException(404, null, "origin answered HTTP 404"))
                : answer.get();
        return f.whenComplete((image, e) -> {
            synchronized (this) {
                running.merge(host, -1, Integer::sum);
            }
        });
    }

    @Override
    public int active() {
        return 0;
    }

    @Override
    public void close() {
    }
}
