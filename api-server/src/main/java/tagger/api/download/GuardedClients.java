package tagger.api.download;

import java.net.Proxy;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * The one place an HTTP client for URLs strangers gave us is set up: names resolved through
 * {@link GuardedDns}, every connect checked again by {@link GuardedSocketFactory} (a name that
 * resolves differently the second time cannot slip through), no proxy, redirects never followed
 * by the client — a caller that follows one checks the new URL itself — and the configured
 * timeouts. Downloads ({@link ImageDownloader}) and callbacks ({@link GuardedPoster}) both start here.
 */
final class GuardedClients {
    private GuardedClients() {
    }

    static OkHttpClient.Builder builder(DownloadConfig config, AddressPolicy policy, Dns dns) {
        return new OkHttpClient.Builder()
                .dns(new GuardedDns(dns, policy))
                .socketFactory(new GuardedSocketFactory(policy))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout());
    }
}
