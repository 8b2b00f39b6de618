package tagger.api.bulk;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import tagger.api.download.DownloadException;
import tagger.api.download.OriginStatusException;
import tagger.common.Backoff;

/**
 * When a bulk download is tried again: transient failures only (timeouts, failed connections,
 * 408/425/429/5xx answers), at most {@code attempts} tries in all, after an exponential backoff with
 * jitter — or after what the origin's {@code Retry-After} asks, up to {@code max}.
 */
public record RetryPolicy(int attempts, Duration base, Duration max) {

    /** Whether trying again could give another answer. */
    static boolean isTransient(DownloadException e) {
        return switch (e.code()) {
            case DOWNLOAD_TIMEOUT, DOWNLOAD_FAILED -> true;
            case ORIGIN_STATUS -> e instanceof OriginStatusException o && transientStatus(o.status());
            default -> false;
        };
    }

    static boolean transientStatus(int status) {
        return status == 408 || status == 425 || status == 429 || status == 500 || status == 502 || status == 503
                || status == 504;
    }

    /**
     * How long to wait before the next attempt, or empty when {@code e} is the item's outcome.
     *
     * @param attemptsMade attempts so far, the failed one included (1 after the first)
     * @param jitter       a uniform random number in [0, 1)
     */
    Optional<Duration> nextDelay(int attemptsMade, DownloadException e, Instant now, DoubleSupplier jitter) {
        if (attemptsMade >= attempts || !isTransient(e)) {
            return Optional.empty();
        }
        if (e instanceof OriginStatusException o) {
            Optional<Duration> asked = retryAfter(o.retryAfter(), now);
            if (asked.isPresent()) {
                return Optional.of(min(asked.get(), max));
            }
        }
        // "equal jitter": half the backoff fixed, half random, so many items failing together spread out
        long backoff = Backoff.exponential(base, attemptsMade, max).toMillis();
        return Optional.of(Duration.ofMillis(Backoff.equalJitter(backoff, jitter.getAsDouble())));
    }

    /** Parses a {@code Retry-After} value: delay-seconds or an HTTP date (RFC 9110); a past date is zero. */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String v = header.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // more digits than a long: nonsense
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
