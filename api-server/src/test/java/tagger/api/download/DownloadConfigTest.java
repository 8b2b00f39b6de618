package tagger.api.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownloadConfigTest {

    @Test
    void defaultsAreValidAndKeepPrivateNetworksClosed() {
        DownloadConfig defaults = DownloadConfig.defaults();
        assertFalse(defaults.allowPrivateNetworks());
        assertEquals(20L * 1024 * 1024, defaults.maxBytes());
        assertEquals(5, defaults.maxRedirects());
        assertTrue(defaults.withAllowPrivateNetworks(true).allowPrivateNetworks());
    }

    @Test
    void everyBadValueIsReportedAtOnceWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DownloadConfig(
                Duration.ZERO, null, Duration.ofSeconds(-1), 0, 21, false, 0, 5, "tagger\u00e9"));
        assertEquals("invalid download config: connectTimeout must be positive, was PT0S; readTimeout must be set;"
                + " totalTimeout must be positive, was PT-1S; maxBytes must be between 1 and 2147483639, was 0;"
                + " maxRedirects must be between 0 and 20, was 21; maxConcurrent must be at least 1, was 0;"
                + " maxPerHost must be between 1 and maxConcurrent (0), was 5;"
                + " userAgent must be non-blank printable ASCII (an HTTP header value), was 'tagger\u00e9'",
                e.getMessage());
    }

    @Test
    void perHostLimitAboveTheTotalIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DownloadConfig(
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, 0, false, 4, 8, "t"));
        assertEquals("invalid download config: maxPerHost must be between 1 and maxConcurrent (4), was 8", e.getMessage());
    }
}
