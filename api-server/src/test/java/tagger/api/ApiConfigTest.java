package tagger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.api.download.DownloadConfig;

class ApiConfigTest {

    private static List<String> problems(Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(env));
        String[] lines = e.getMessage().split("\n");
        assertEquals("invalid api-server configuration:", lines[0]);
        return Arrays.stream(lines).skip(1).map(l -> l.replaceFirst("^  - ", "")).toList();
    }

    @Test
    void anEmptyEnvironmentGivesTheDocumentedDefaults() {
        ApiConfig c = ApiConfig.fromEnv(Map.of());
        assertEquals("0.0.0.0", c.host());
        assertEquals(8080, c.port());
        assertEquals(URI.create("amqp://guest:guest@127.0.0.1:5672"), c.rabbitUri());
        assertEquals(URI.create("redis://127.0.0.1:6379"), c.redisUri());
        assertEquals("tagger", c.names().namespace());
        assertEquals(Duration.ofSeconds(5), c.defaultTimeout());
        assertEquals(Duration.ofSeconds(60), c.maxTimeout());
        assertEquals(32, c.maxUrls());
        assertEquals(20L * 1024 * 1024, c.maxImageBytes());
        assertEquals(40_000_000L, c.maxImagePixels());
        assertEquals(10_000, c.maxInflight());
        assertEquals(Duration.ofSeconds(1), c.sweepAfter());
        assertEquals(Duration.ofSeconds(3), c.download().connectTimeout());
        assertEquals(Duration.ofSeconds(5), c.download().readTimeout());
        assertEquals(Duration.ofSeconds(10), c.download().totalTimeout());
        assertEquals(5, c.download().maxRedirects());
        assertEquals(c.maxImageBytes(), c.download().maxBytes(), "downloads and uploads share the byte cap");
        assertFalse(c.download().allowPrivateNetworks(), "private networks are refused unless opted in");
        assertEquals(64, c.download().maxConcurrent());
        assertEquals(48, c.download().maxPerHost());
    }

    @Test
    void theDefaultInstanceIdIsUniquePerProcessStartAndAValidChannelName() {
        String a = ApiConfig.fromEnv(Map.of()).instanceId();
        String b = ApiConfig.fromEnv(Map.of()).instanceId();
        assertTrue(a.matches("api-[A-Za-z0-9._-]+"), a);
        assertNotEquals(a, b, "a restarted process must not inherit its predecessor's notifications");
    }

    @Test
    void everySettingIsRead() {
        ApiConfig c = ApiConfig.fromEnv(Map.ofEntries(
                Map.entry("TAGGER_HTTP_HOST", "127.0.0.1"),
                Map.entry("TAGGER_HTTP_PORT", "9000"),
                Map.entry("TAGGER_RABBITMQ_URI", "amqps://u:p@mq.internal:5671/vhost"),
                Map.entry("TAGGER_REDIS_URI", "rediss://cache.internal:6380"),
                Map.entry("TAGGER_NAMESPACE", "test-ns"),
                Map.entry("TAGGER_INSTANCE_ID", "api-a.1_b"),
                Map.entry("TAGGER_TIMEOUT_MS", "2000"),
                Map.entry("TAGGER_MAX_TIMEOUT_MS", "30000"),
                Map.entry("TAGGER_MAX_URLS", "10"),
                Map.entry("TAGGER_MAX_IMAGE_BYTES", "1048576"),
                Map.entry("TAGGER_MAX_IMAGE_PIXELS", "1000000"),
                Map.entry("TAGGER_MAX_INFLIGHT", "100"),
                Map.entry("TAGGER_SWEEP_AFTER_MS", "250"),
                Map.entry("TAGGER_ALLOW_PRIVATE_NETWORKS", "true")));
        assertEquals("127.0.0.1", c.host());
        assertEquals(9000, c.port());
        assertEquals(URI.create("amqps://u:p@mq.internal:5671/vhost"), c.rabbitUri());
        assertEquals(URI.create("rediss://cache.internal:6380"), c.redisUri());
        assertEquals("test-ns", c.names().namespace());
        assertEquals("api-a.1_b", c.instanceId());
        assertEquals(Duration.ofSeconds(2), c.defaultTimeout());
        assertEquals(Duration.ofSeconds(30), c.maxTimeout());
        assertEquals(10, c.maxUrls());
        assertEquals(1_048_576L, c.maxImageBytes());
        assertEquals(1_000_000L, c.maxImagePixels());
        assertEquals(100, c.maxInflight());
        assertEquals(Duration.ofMillis(250), c.sweepAfter());
        assertTrue(c.download().allowPrivateNetworks());
    }

    @Test
    void everyBadValueIsReportedAtOnceWithTheValue() {
        List<String> problems = problems(Map.of(
                "TAGGER_HTTP_PORT", "70000",
                "TAGGER_TIMEOUT_MS", "5s",
                "TAGGER_MAX_URLS", "0",
                "TAGGER_ALLOW_PRIVATE_NETWORKS", "maybe",
                "TAGGER_NAMESPACE", "bad ns",
                "TAGGER_INSTANCE_ID", "api 1"));
        assertEquals(List.of(
                "TAGGER_NAMESPACE must match [a-z0-9][a-z0-9_-]{0,63}, got 'bad ns'",
                "TAGGER_HTTP_PORT must be between 0 and 65535, got 70000",
                "TAGGER_TIMEOUT_MS must be an integer between 100 and 600000, got '5s'",
                "TAGGER_MAX_URLS must be between 1 and 1000, got 0",
                "TAGGER_ALLOW_PRIVATE_NETWORKS must be true or false, got 'maybe'",
                "TAGGER_INSTANCE_ID must be 1-100 letters, digits, '.', '_' or '-', got 'api 1'"), problems);
    }

    @Test
    void aServiceUriWithTheWrongSchemeIsReportedWithItsValue() {
        // schemes are sorted by a fixed common.Settings; older builds of it listed them in a random order
        List<String> problems = problems(Map.of("TAGGER_RABBITMQ_URI", "http://127.0.0.1:5672",
                "TAGGER_REDIS_URI", "localhost:6379"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches("TAGGER_RABBITMQ_URI must be a URI with scheme (amqp or amqps|amqps or amqp)"
                + " and a host, got 'http://127\\.0\\.0\\.1:5672'"), problems.get(0));
        assertTrue(problems.get(1).matches("TAGGER_REDIS_URI must be a URI with scheme redis or redis-sentinel or rediss"
                + " and a host, got 'localhost:6379'"), problems.get(1));
    }

    @Test
    void theDefaultTimeoutMayNotExceedTheMaximum() {
        assertEquals(List.of("TAGGER_TIMEOUT_MS (90000) must not exceed TAGGER_MAX_TIMEOUT_MS (60000)"),
                problems(Map.of("TAGGER_TIMEOUT_MS", "90000")));
        assertEquals(List.of("TAGGER_TIMEOUT_MS (5000) must not exceed TAGGER_MAX_TIMEOUT_MS (1000)"),
                problems(Map.of("TAGGER_MAX_TIMEOUT_MS", "1000")));
    }

    @Test
    void aDefaultTimeoutEqualToTheMaximumIsAllowed() {
        ApiConfig c = ApiConfig.fromEnv(Map.of("TAGGER_TIMEOUT_MS", "7000", "TAGGER_MAX_TIMEOUT_MS", "7000"));
        assertEquals(c.maxTimeout(), c.defaultTimeout());
    }

    @Test
    void theDownloaderGetsTheDownloadSettings() {
        ApiConfig c = ApiConfig.fromEnv(Map.of(
                "TAGGER_DOWNLOAD_CONNECT_TIMEOUT_MS", "1500",
                "TAGGER_DOWNLOAD_READ_TIMEOUT_MS", "2500",
                "TAGGER_DOWNLOAD_TIMEOUT_MS", "8000",
                "TAGGER_MAX_IMAGE_BYTES", "2097152",
                "TAGGER_DOWNLOAD_MAX_REDIRECTS", "2",
                "TAGGER_ALLOW_PRIVATE_NETWORKS", "yes",
                "TAGGER_DOWNLOAD_MAX_CONCURRENT", "40",
                "TAGGER_DOWNLOAD_MAX_PER_HOST", "10"));
        assertEquals(new DownloadConfig(Duration.ofMillis(1500), Duration.ofMillis(2500), Duration.ofMillis(8000),
                2_097_152L, 2, true, 40, 10, "tagger/0.1"), c.download());
    }

    @Test
    void loweringTheDownloadConcurrencyAloneGivesAUsableDownloaderConfig() {
        // regression: the per-host limit kept its default of 64, so download() threw
        // "maxPerHost must be between 1 and maxConcurrent (10), was 64" after startup validation passed
        ApiConfig c = ApiConfig.fromEnv(Map.of("TAGGER_DOWNLOAD_MAX_CONCURRENT", "10"));
        assertEquals(10, c.download().maxConcurrent());
        assertEquals(7, c.download().maxPerHost(), "three quarters of the slots: the host bulkhead");
    }

    @Test
    void aPerHostLimitAboveTheTotalIsReportedAtStartup() {
        assertEquals(List.of("TAGGER_DOWNLOAD_MAX_PER_HOST (20) must not exceed TAGGER_DOWNLOAD_MAX_CONCURRENT (10)"),
                problems(Map.of("TAGGER_DOWNLOAD_MAX_CONCURRENT", "10", "TAGGER_DOWNLOAD_MAX_PER_HOST", "20")));
    }

    @Test
    void theBulkDownloaderHasTheSameLimitsWithItsOwnPool() {
        ApiConfig c = ApiConfig.fromEnv(Map.of("TAGGER_DOWNLOAD_TIMEOUT_MS", "8000", "TAGGER_BULK_DOWNLOADS", "12"));
        assertEquals(new DownloadConfig(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofMillis(8000),
                20L << 20, 5, false, 12, 12, "tagger/0.1"), c.bulkDownload());
    }

    @Test
    void aUrlListLargerThanTheInflightLimitIsReportedAtStartup() {
        // regression: such a list could never acquire its permits, so it was shed with 429 on every retry
        assertEquals(List.of("TAGGER_MAX_URLS (32) must not exceed TAGGER_MAX_INFLIGHT (16): a list that long "
                        + "could never be admitted"),
                problems(Map.of("TAGGER_MAX_INFLIGHT", "16")));
    }

}
