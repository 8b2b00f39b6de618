package tagger.loadtest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static Exchange read(int images, int status, String body) {
        return ResponseReader.read("url", images, status, "inference;dur=8.0, total;dur=20", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTaggedResultIsASuccessWithItsServerTiming() {
        Exchange e = read(1, 200, "{\"requestId\":\"a\",\"tags\":[{\"label\":\"red\",\"score\":0.9}],\"timings\":{}}");
        assertTrue(e.success());
        assertEquals(1, e.imagesTagged());
        assertEquals(8.0, e.serverTiming().get("inference"));
        assertEquals("200", e.statusKey());
        assertNull(e.detail());
    }

    @Test
    void aSingleImageErrorIsBothTheRequestsAndTheItemsErrorCode() {
        Exchange e = read(1, 422, "{\"requestId\":\"a\",\"error\":{\"code\":\"origin_status\",\"message\":\"origin answered 500\"}}");
        assertFalse(e.success());
        assertEquals("origin_status", e.errorCode());
        assertEquals(List.of("origin_status"), e.itemErrors());
        assertTrue(e.detail().startsWith("HTTP 422: {\"requestId\""), e.detail());
    }

    @Test
    void aListIsJudgedItemByItem() {
        Exchange e = read(3, 200, "{\"results\":[{\"tags\":[]},{\"error\":{\"code\":\"download_timeout\"}},"
                + "{\"tags\":[{\"label\":\"x\",\"score\":1}]}]}");
        assertFalse(e.success(), "one of three images failed");
        assertEquals(2, e.imagesTagged());
        assertEquals(List.of("download_timeout"), e.itemErrors());
        assertNull(e.errorCode());
    }

    @Test
    void aShedListIsARequestErrorWithoutItemErrors() {
        Exchange e = read(4, 429, "{\"error\":{\"code\":\"overloaded\",\"message\":\"retry after 1 s\"}}");
        assertEquals("overloaded", e.errorCode());
        assertEquals(List.of(), e.itemErrors());
        assertEquals("429", e.statusKey());
    }

    @Test
    void aNonJsonAnswerIsAFailureWithItsTextInTheDetail() {
        Exchange e = read(1, 502, "<html>Bad   Gateway</html>");
        assertFalse(e.success());
        assertEquals("HTTP 502: <html>Bad Gateway</html>", e.detail());
    }

    @Test
    void transportFailuresAreClassifiedIntoStableKinds() {
        assertEquals("transport:timeout", Exchange.transportFailure("url", "other",
                new java.net.http.HttpTimeoutException("request timed out")).statusKey());
        assertEquals("connect", Exchange.transportFailure("url", "other",
                new java.util.concurrent.CompletionException(new java.net.ConnectException("refused"))).transportError());
        assertEquals("io", Exchange.transportFailure("url", "other", new java.io.EOFException("eof")).transportError());
        assertEquals("generator", Exchange.transportFailure("url", "generator", new IllegalStateException("x"))
                .transportError());
    }
}
