package tagger.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tagger.common.ErrorCode;

class StatusesTest {
    /** DESIGN.md "HTTP API": the status of a single-image answer for each error code. */
    private static final Map<ErrorCode, Integer> EXPECTED = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorCode.INVALID_URL, 400),
            Map.entry(ErrorCode.BLOCKED_ADDRESS, 422),
            Map.entry(ErrorCode.DOWNLOAD_FAILED, 422),
            Map.entry(ErrorCode.DOWNLOAD_TIMEOUT, 422),
            Map.entry(ErrorCode.ORIGIN_STATUS, 422),
            Map.entry(ErrorCode.TOO_MANY_REDIRECTS, 422),
            Map.entry(ErrorCode.TOO_LARGE, 413),
            Map.entry(ErrorCode.TOO_MANY_PIXELS, 413),
            Map.entry(ErrorCode.NOT_AN_IMAGE, 422),
            Map.entry(ErrorCode.UNDECODABLE, 422),
            Map.entry(ErrorCode.PREPROCESS_MISMATCH, 503), // transient: a retry is preprocessed for the new model
            Map.entry(ErrorCode.INFERENCE_FAILED, 422),
            Map.entry(ErrorCode.DEADLINE_EXCEEDED, 504),
            Map.entry(ErrorCode.DELIVERY_LIMIT, 422),
            Map.entry(ErrorCode.UNAVAILABLE, 503),
            Map.entry(ErrorCode.OVERLOADED, 429),
            Map.entry(ErrorCode.CANCELLED, 422))); // bulk only: a real-time caller never gets it

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorCode.class)
    void everyErrorCodeHasTheDocumentedStatus(ErrorCode code) {
        // a code added to the enum without a row here fails: decide its status on purpose
        assertEquals(EXPECTED.get(code), Statuses.of(code), code.code());
    }

    @Test
    void aResultWithoutAnErrorIsOk() {
        assertEquals(200, Statuses.of(null));
    }

    @Test
    void shedCallersAreAskedToRetryAfterOneSecond() {
        assertEquals("1", Statuses.RETRY_AFTER_SECONDS);
    }
}
