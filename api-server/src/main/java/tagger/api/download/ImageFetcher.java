package tagger.api.download;

import java.util.concurrent.CompletableFuture;

/** Fetches an image by URL without blocking the caller. */
public interface ImageFetcher extends AutoCloseable {

    /**
     * Downloads {@code url}, giving up at {@code deadlineEpochMs} at the latest. The future fails with
     * {@link DownloadException} carrying a stable error code.
     */
    CompletableFuture<FetchedImage> fetch(String url, long deadlineEpochMs);

    /** Downloads running right now. */
    int active();

    @Override
    void close();
}
