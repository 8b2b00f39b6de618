package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tagger.api.download.DownloadException;
import tagger.api.download.OriginStatusException;
import tagger.common.ErrorCode;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(60));

    private static OriginStatusException status(int code, String retryAfter) {
        return new OriginStatusException(code, retryAfter, "origin answered HTTP " + code);
    }

    private Optional<Duration> delay(int attempts, DownloadException e, double jitter) {
        return policy.nextDelay(attempts, e, NOW, () -> jitter);
    }

    @Test
    void timeoutsFailedConnectionsAndOverloadAnswersAreTransient() {
        assertTrue(RetryPolicy.isTransient(new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT, "slow")));
        assertTrue(RetryPolicy.isTransient(new DownloadException(ErrorCode.DOWNLOAD_FAILED, "reset")));
        for (int code : new int[] {408, 425, 429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.isTransient(status(code, null)), "HTTP " + code);
        }
    }

    @Test
    void missingImagesBadContentAndRefusalsAreNot() {
        for (int code : new int[] {400, 403, 404, 410, 501}) {
            assertFalse(RetryPolicy.isTransient(status(code, null)), "HTTP " + code);
        }
        for (ErrorCode c : new ErrorCode[] {ErrorCode.INVALID_URL, ErrorCode.BLOCKED_ADDRESS, ErrorCode.TOO_LARGE,
                ErrorCode.TOO_MANY_REDIRECTS}) {
            assertFalse(RetryPolicy.isTransient(new DownloadException(c, "x")), c.code());
        }
        assertFalse(RetryPolicy.isTransient(new DownloadException(ErrorCode.ORIGIN_STATUS, "no status known")));
    }

    @Test
    void theBackoffDoublesWithHalfOfItRandom() {
        DownloadException e = new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT, "slow");

        assertEquals(Optional.of(Duration.ofMillis(500)), delay(1, e, 0.0));
        assertEquals(Optional.of(Duration.ofMillis(999)), delay(1, e, 0.999));
        assertEquals(Optional.of(Duration.ofMillis(1000)), delay(2, e, 0.0));
        assertEquals(Optional.of(Duration.ofMillis(2000)), delay(3, e, 0.0));
    }

    @Test
    void theBackoffStopsGrowingAtTheMaximum() {
        RetryPolicy many = new RetryPolicy(50, Duration.ofSeconds(1), Duration.ofSeconds(60));

        assertEquals(Optional.of(Duration.ofSeconds(30)), many.nextDelay(40, status(503, null), NOW, () -> 0.0));
    }

    @Test
    void afterTheLastAttemptTheFailureIsTheOutcome() {
        assertTrue(delay(3, status(503, null), 0).isPresent());
        assertEquals(Optional.empty(), delay(4, status(503, null), 0));
        assertEquals(Optional.empty(), delay(1, status(404, null), 0));
    }

    @Test
    void retryAfterInSecondsIsHonouredUpToTheMaximum() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), delay(1, status(429, "7"), 0.5));
        assertEquals(Optional.of(Duration.ofSeconds(60)), delay(1, status(503, "3600"), 0.5));
        assertEquals(Optional.of(Duration.ZERO), delay(1, status(503, "0"), 0.5));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        assertEquals(Optional.of(Duration.ofSeconds(12)), delay(1, status(503, "Sun, 22 Nov 2026 10:00:12 GMT"), 0));
        assertEquals(Optional.of(Duration.ZERO), delay(1, status(503, "Sun, 22 Nov 2026 09:00:00 GMT"), 0));
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBackoff() {
        assertEquals(Optional.of(Duration.ofMillis(500)), delay(1, status(503, "soon"), 0));
        assertEquals(Optional.of(Duration.ofMillis(500)), delay(1, status(503, "99999999999999999999999"), 0));
        assertEquals(Optional.of(Duration.ofMillis(500)), delay(1, status(503, " "), 0));
    }
}
