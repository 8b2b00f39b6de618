package tagger.api.download;

import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * POSTs JSON to URLs strangers gave us (bulk batch callbacks) under the downloader's SSRF rules:
 * the same URL checks, guarded DNS and connect-time address checks, no proxy, and no redirects
 * (a redirect is a failed delivery, never followed to an address we did not check).
 */
public final class GuardedPoster implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");

    private final DownloadConfig config;
    private final UrlGuard guard;
    private final OkHttpClient client;

    public GuardedPoster(DownloadConfig config) {
        this.config = config;
        AddressPolicy policy = AddressPolicy.standard(config.allowPrivateNetworks());
        this.guard = new UrlGuard(policy);
        this.client = GuardedClients.builder(config, policy, okhttp3.Dns.SYSTEM)
                .callTimeout(Duration.ofMillis(config.totalTimeout().toMillis()))
                .build();
    }

    /**
     * Checks a URL as far as it can be without resolving it (scheme, syntax, length, address
     * literals), so a bad callback URL is refused when the batch is submitted.
     *
     * @throws DownloadException {@code invalid_url} or {@code blocked_address}, saying why
     */
    public void check(String url) {
        guard.check(url);
    }

    /**
     * POSTs {@code json} and returns the HTTP status.
     *
     * @param batchId sent as {@code Tagger-Batch-Id}, so a receiver can recognise a repeated delivery
     * @throws DownloadException when the URL is refused or the request fails (the message says why)
     */
    public int post(String url, byte[] json, String batchId) {
        HttpUrl target = guard.check(url);
        Request request = new Request.Builder().url(target).header("User-Agent", config.userAgent())
                .header("Tagger-Batch-Id", batchId)
                .post(RequestBody.create(json, JSON)).build();
        try (Response response = client.newCall(request).execute()) {
            return response.code();
        } catch (IOException e) {
            throw DownloadFailures.describe(e, config);
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
