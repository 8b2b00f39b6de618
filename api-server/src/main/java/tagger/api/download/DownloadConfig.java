package tagger.api.download;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tagger.common.Settings;

/**
 * Limits and switches of the image downloader; the constructor reports every bad value at once.
 *
 * <p>Defaults ({@link #defaults()}) and why:
 * <ul>
 *   <li>{@code connectTimeout} 3 s: real-time callers wait 5 s in all; an origin that needs longer
 *       than 3 s just to accept a connection leaves no time for the body.</li>
 *   <li>{@code readTimeout} 5 s: the longest silence between two reads. It does not stop an origin
 *       that drips a byte a second; {@code totalTimeout} does.</li>
 *   <li>{@code totalTimeout} 10 s: GitHub Camo's socket timeout. It covers queueing, every redirect
 *       hop and the body, and the caller's deadline shortens it further.</li>
 *   <li>{@code maxBytes} 20 MiB: above any photo a camera or phone writes as JPEG; bulk libraries
 *       with larger files should resize first.</li>
 *   <li>{@code maxRedirects} 5: Camo allows 4; one more for http-to-https-to-CDN chains.</li>
 *   <li>{@code allowPrivateNetworks} false: see {@link AddressPolicy#standard(boolean)}.</li>
 *   <li>{@code maxConcurrent} 64: each running download holds a thread and up to {@code maxBytes}
 *       of heap, so the worst case is 64 x 20 MiB = 1.25 GiB. By Little's law 64 downloads of about
 *       150 ms each still move about 400 images/s per api-server.</li>
 *   <li>{@code maxPerHost} 16: bulk migrations fetch everything from one storage host, so OkHttp's
 *       default of 5 would throttle them; a quarter of the slots keeps one slow or hostile origin
 *       from starving every other caller.</li>
 * </ul>
 */
public record DownloadConfig(
        Duration connectTimeout,
        Duration readTimeout,
        Duration totalTimeout,
        long maxBytes,
        int maxRedirects,
        boolean allowPrivateNetworks,
        int maxConcurrent,
        int maxPerHost,
        String userAgent) {

    static final String USER_AGENT = "tagger/0.1";
    /** The largest byte array the JVM reliably allocates. */
    static final long MAX_BYTES_LIMIT = Integer.MAX_VALUE - 8;
    /** More hops than this is a loop, not a CDN. */
    static final int MAX_REDIRECTS_LIMIT = 20;

    public DownloadConfig {
        List<String> problems = new ArrayList<>();
        requirePositive(problems, "connectTimeout", connectTimeout);
        requirePositive(problems, "readTimeout", readTimeout);
        requirePositive(problems, "totalTimeout", totalTimeout);
        if (maxBytes < 1 || maxBytes > MAX_BYTES_LIMIT) {
            problems.add("maxBytes must be between 1 and " + MAX_BYTES_LIMIT + ", was " + maxBytes);
        }
        if (maxRedirects < 0 || maxRedirects > MAX_REDIRECTS_LIMIT) {
            problems.add("maxRedirects must be between 0 and " + MAX_REDIRECTS_LIMIT + ", was " + maxRedirects);
        }
        if (maxConcurrent < 1) {
            problems.add("maxConcurrent must be at least 1, was " + maxConcurrent);
        }
        if (maxPerHost < 1 || maxPerHost > Math.max(1, maxConcurrent)) {
            problems.add("maxPerHost must be between 1 and maxConcurrent (" + maxConcurrent + "), was " + maxPerHost);
        }
        if (userAgent == null || userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            problems.add("userAgent must be non-blank printable ASCII (an HTTP header value), was "
                    + (userAgent == null ? "null" : "'" + userAgent + "'"));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid download config: " + String.join("; ", problems));
        }
    }

    /**
     * Reads {@code TAGGER_DOWNLOAD_*} and {@code TAGGER_ALLOW_PRIVATE_NETWORKS} (see the README's configuration
     * table); problems are added to {@code s} (the caller throws them all at once).
     *
     * @param maxBytes {@code TAGGER_MAX_IMAGE_BYTES}, read by the caller: uploads share the cap
     */
    public static DownloadConfig read(Settings s, long maxBytes) {
        Duration connect = s.millis("TAGGER_DOWNLOAD_CONNECT_TIMEOUT_MS", 3_000, 10, 60_000);
        Duration read = s.millis("TAGGER_DOWNLOAD_READ_TIMEOUT_MS", 5_000, 10, 60_000);
        Duration total = s.millis("TAGGER_DOWNLOAD_TIMEOUT_MS", 10_000, 10, 600_000);
        int redirects = s.integer("TAGGER_DOWNLOAD_MAX_REDIRECTS", 5, 0, 20);
        boolean allowPrivate = s.bool("TAGGER_ALLOW_PRIVATE_NETWORKS", false);
        int concurrent = s.integer("TAGGER_DOWNLOAD_MAX_CONCURRENT", 64, 1, 100_000);
        // a bulkhead: one host (a photo-storage caller's, or one that hangs) gets at most 3/4 of the
        // slots, so the last quarter always stays free for every other host
        int perHost = s.integer("TAGGER_DOWNLOAD_MAX_PER_HOST", Math.max(1, concurrent * 3 / 4), 1, 100_000);
        if (perHost > concurrent) {
            s.problem("TAGGER_DOWNLOAD_MAX_PER_HOST (" + perHost + ") must not exceed TAGGER_DOWNLOAD_MAX_CONCURRENT ("
                    + concurrent + ")");
            perHost = concurrent; // reported; the caller throws before this config is used
        }
        return new DownloadConfig(connect, read, total, maxBytes, redirects, allowPrivate, concurrent, perHost,
                USER_AGENT);
    }

    /** The same limits and switches with a pool of its own (the bulk downloader's). */
    public DownloadConfig withPool(int concurrent, int perHost) {
        return new DownloadConfig(connectTimeout, readTimeout, totalTimeout, maxBytes, maxRedirects,
                allowPrivateNetworks, concurrent, perHost, userAgent);
    }

    public static DownloadConfig defaults() {
        return new DownloadConfig(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10),
                20L * 1024 * 1024, 5, false, 64, 16, USER_AGENT);
    }

    /** A copy with the private-network opt-in set (local development and tests). */
    public DownloadConfig withAllowPrivateNetworks(boolean allow) {
        return new DownloadConfig(connectTimeout, readTimeout, totalTimeout, maxBytes, maxRedirects, allow,
                maxConcurrent, maxPerHost, userAgent);
    }

    private static void requirePositive(List<String> problems, String name, Duration value) {
        if (value == null) {
            problems.add(name + " must be set");
        } else if (value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, was " + value);
        }
    }
}
