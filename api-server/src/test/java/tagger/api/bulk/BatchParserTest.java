package tagger.api.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.api.bulk.BatchSubmission.Item;
import tagger.api.http.RequestException;
import tagger.api.bulk.BatchSubmission.Rejection;

class BatchParserTest {
    private static final String NDJSON = "application/x-ndjson";
    private static final String JSON = "application/json";
    private final BatchParser parser = new BatchParser(1_000, 1 << 20);

    private BatchSubmission parse(BatchParser p, String body, String type, Map<String, String> query) {
        return p.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), type, query);
    }

    private BatchSubmission parse(String body, String type) {
        return parse(parser, body, type, Map.of());
    }

    private RequestException refused(String body, String type, Map<String, String> query) {
        return assertThrows(RequestException.class, () -> parse(parser, body, type, query));
    }

    @Test
    void ndjsonLinesBecomeItemsAndBadLinesAreReportedWithTheirLineNumbers() {
        BatchSubmission s = parse("""
                {"id": "a", "url": "http://img.test/a.jpg"}
                {"id": "b", "url": "http://img.test/b.jpg"
                {"id": "c"}

                {"id": "d", "url": "ftp://img.test/d.jpg"}
                {"id": "a", "url": "http://img.test/a2.jpg"}
                {"id": "e", "url": "https://img.test/e.jpg", "tags": 3}
                {"id": 17, "url": "https://img.test/17.jpg"}
                """, NDJSON);

        assertEquals(List.of(new Item("a", "http://img.test/a.jpg"), new Item("17", "https://img.test/17.jpg")),
                s.items());
        assertEquals(5, s.rejectedCount());
        Rejection notJson = s.rejected().get(0);
        assertEquals(List.of(1, 2), List.of(notJson.index(), notJson.line()));
        assertTrue(notJson.reason().startsWith("line is not valid JSON: Unexpected end-of-input"), notJson.reason());
        assertEquals(new Rejection(2, 3, "c", "\"url\" is missing"), s.rejected().get(1));
        assertEquals(new Rejection(3, 5, "d", "\"url\" 'ftp://img.test/d.jpg' uses scheme 'ftp'; only http and https "
                + "are allowed"), s.rejected().get(2));
        assertEquals(new Rejection(4, 6, "a", "id 'a' appears twice in the batch (first at line 1); ids must be unique"),
                s.rejected().get(3));
        assertEquals(new Rejection(5, 7, "e", "unknown field 'tags' (allowed: id, url)"), s.rejected().get(4));
    }

    @Test
    void aJsonArrayTakesItsOptionsFromTheQueryString() {
        Map<String, String> query = new HashMap<>();
        query.put("topK", "3");
        query.put("minScore", "0.25");
        query.put("callbackUrl", "https://hooks.test/done");

        BatchSubmission s = parse(parser, "[{\"id\": \"x\", \"url\": \"http://img.test/x.png\"}, \"nope\"]", JSON, query);

        assertEquals(new BatchSubmission.Options(3, 0.25, "https://hooks.test/done", null), s.options());
        assertEquals(List.of(new Item("x", "http://img.test/x.png")), s.items());
        assertEquals(List.of(new Rejection(1, null, null,
                "item must be an object with \"id\" and \"url\", got a string \"nope\"")), s.rejected());
    }

    @Test
    void aJsonObjectCarriesItemsAndOptionsInAnyOrder() {
        BatchSubmission s = parse("""
                {"items": [{"id": "1", "url": "http://img.test/1.png"}, {"id": "2", "url": "not a url"}],
                 "topK": 2, "batchId": "my-batch.7", "minScore": 0.5}
                """, JSON);

        assertEquals(new BatchSubmission.Options(2, 0.5, null, "my-batch.7"), s.options());
        assertEquals(1, s.items().size());
        assertEquals(new Rejection(1, null, "2", "\"url\" 'not a url' has no scheme; only http and https are allowed"),
                s.rejected().get(0));
    }

    @Test
    void badOptionsRefuseTheWholeSubmissionNamingEachProblem() {
        RequestException e = refused("{\"items\": [], \"topK\": 0, \"batchId\": \"no spaces\", \"minScore\": \"x\"}",
                JSON, Map.of());

        assertEquals(400, e.status());
        assertEquals("topK must be an integer >= 1, got 0; minScore must be a number, got 'x'; batchId must be 1-64 "
                + "letters, digits, '.', '_' or '-', got 'no spaces'", e.getMessage());
    }

    @Test
    void cacheFalseOptsTheBatchOutOfTheResultCacheAndChangesItsFingerprint() {
        String items = "{\"items\": [{\"id\": \"1\", \"url\": \"http://a.test/1\"}]";
        BatchSubmission cached = parse(items + "}", JSON);
        BatchSubmission uncached = parse(items + ", \"cache\": false}", JSON);
        BatchSubmission fromQuery = parse(parser, items + "}", JSON, Map.of("cache", "false"));

        assertTrue(cached.options().cache());
        assertFalse(uncached.options().cache());
        assertFalse(fromQuery.options().cache());
        assertNotEquals(cached.fingerprint(), uncached.fingerprint());
    }

    @Test
    void aCacheOptionOtherThanTrueOrFalseIsRefused() {
        RequestException e = refused("{\"items\": [], \"cache\": \"maybe\"}", JSON, Map.of());

        assertEquals("cache must be true or false, got 'maybe'", e.getMessage());
    }

    @Test
    void anOptionGivenTwiceIsRefused() {
        RequestException e = refused("{\"items\": [{\"id\": \"1\", \"url\": \"http://a.test/1\"}], \"topK\": 2}",
                JSON, Map.of("topK", "3"));

        assertEquals("\"topK\" is given both in the body and in the query string", e.getMessage());
    }

    @Test
    void aFinishingTargetIsTakenAsSecondsOrAsADeadline() {
        BatchSubmission within = parse("{\"items\": [{\"id\": \"1\", \"url\": \"http://a.test/1\"}], "
                + "\"targetSeconds\": 7200}", JSON);
        assertEquals(7_200L, within.options().targetSeconds());
        assertEquals(1_000L + 7_200_000, within.options().deadlineAt(1_000));
        BatchSubmission by = parse(parser, "[{\"id\": \"1\", \"url\": \"http://a.test/1\"}]", JSON,
                Map.of("deadline", "2026-12-03T18:00:00+01:00"));
        assertEquals(java.time.Instant.parse("2026-12-03T17:00:00Z"), by.options().deadline());
        assertEquals(0, parse("[{\"id\": \"1\", \"url\": \"http://a.test/1\"}]", JSON).options().deadlineAt(1_000),
                "no target");
    }

    @Test
    void aBadFinishingTargetIsRefusedWithTheRuleAndTheValue() {
        assertEquals("targetSeconds must be between 10 and 2592000, got 5", refused(
                "{\"items\": [], \"targetSeconds\": 5}", JSON, Map.of()).getMessage());
        assertEquals("targetSeconds must be a whole number of seconds, got '2h'; deadline must be an ISO-8601 date-time "
                + "with an offset (2026-12-03T18:00:00Z), got 'tomorrow'; give targetSeconds or deadline, not both",
                refused("{\"items\": [], \"targetSeconds\": \"2h\", \"deadline\": \"tomorrow\"}", JSON, Map.of())
                        .getMessage());
    }

    @Test
    void anUnknownTopLevelFieldIsRefused() {
        RequestException e = refused("{\"itemz\": []}", JSON, Map.of());

        assertEquals("unknown field 'itemz' (allowed: items, topK, minScore, callbackUrl, batchId, targetSeconds, "
                + "deadline, cache)", e.getMessage());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithItsPosition() {
        RequestException e = refused("[{\"id\": \"1\", \"url\": \"http://a.test/1\"},\n {oops}]", JSON, Map.of());

        assertEquals(400, e.status());
        assertEquals(true, e.getMessage().startsWith("body is not valid JSON at line 2, column 3: "), e.getMessage());
    }

    @Test
    void anUnclosedArrayIsRefused() {
        RequestException e = refused("[{\"id\": \"1\", \"url\": \"http://a.test/1\"}", JSON, Map.of());

        assertEquals(true, e.getMessage().startsWith("body is not valid JSON"), e.getMessage());
    }

    @Test
    void tooManyItemsIsA413NamingTheLimit() {
        BatchParser small = new BatchParser(2, 1 << 20);
        RequestException e = assertThrows(RequestException.class, () -> parse(small,
                "{\"id\":\"1\",\"url\":\"http://a.test/1\"}\n{\"id\":\"2\",\"url\":\"http://a.test/2\"}\n"
                        + "{\"id\":\"3\",\"url\":\"http://a.test/3\"}\n", NDJSON, Map.of()));

        assertEquals(413, e.status());
        assertEquals("batch has more than 2 items, the limit (TAGGER_BULK_MAX_ITEMS); submit it in several batches",
                e.getMessage());
    }

    @Test
    void tooManyBytesIsA413NamingTheLimit() {
        BatchParser small = new BatchParser(1_000, 1_024);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"url\":\"http://a.test/").append(i)
                    .append("\"}");
        }
        RequestException e = assertThrows(RequestException.class,
                () -> parse(small, body + "]", JSON, Map.of()));

        assertEquals(413, e.status());
        assertEquals("request body exceeds 1024 bytes, the limit (TAGGER_BULK_MAX_REQUEST_BYTES)", e.getMessage());
    }

    @Test
    void anEmptyBatchIsRefused() {
        assertEquals("batch has no items", refused("\n\n", NDJSON, Map.of()).getMessage());
        assertEquals("batch has no items", refused("[]", JSON, Map.of()).getMessage());
    }

    @Test
    void anotherContentTypeIsA415() {
        RequestException e = refused("a,b", "text/csv", Map.of());

        assertEquals(415, e.status());
        assertEquals("Content-Type must be application/json or application/x-ndjson, got 'text/csv'", e.getMessage());
    }

    @Test
    void overlongIdsAndUrlsAreRejectedWithTheirLength() {
        String longId = "i".repeat(257);
        String longUrl = "http://a.test/" + "p".repeat(8200);
        BatchSubmission s = parse("{\"id\":\"" + longId + "\",\"url\":\"http://a.test/1\"}\n{\"id\":\"ok\",\"url\":\""
                + longUrl + "\"}\n{\"id\":\"fine\",\"url\":\"http://a.test/2 with space.jpg\"}", NDJSON);

        assertEquals("\"id\" must be 1 to 256 characters, got 257", s.rejected().get(0).reason());
        assertEquals("\"url\" is 8214 characters, limit 8192", s.rejected().get(1).reason());
        assertEquals(1, s.items().size());
    }

    @Test
    void onlyTheFirstThousandRejectionsAreListedButAllAreCounted() {
        BatchParser big = new BatchParser(5_000, 1 << 22);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1_500; i++) {
            body.append("{\"id\":\"").append(i).append("\"}\n");
        }
        body.append("{\"id\":\"last\",\"url\":\"http://a.test/x\"}\n");

        BatchSubmission s = parse(big, body.toString(), NDJSON, Map.of());

        assertEquals(BatchParser.MAX_REPORTED, s.rejected().size());
        assertEquals(1_500, s.rejectedCount());
        assertEquals(1, s.items().size());
    }

    @Test
    void theFingerprintDependsOnItemsAndOptionsNotOnTheBodyShape() {
        String ndjson = "{\"id\":\"1\",\"url\":\"http://a.test/1\"}\n{\"id\":\"2\",\"url\":\"http://a.test/2\"}\n";
        String array = "[{\"url\":\"http://a.test/1\",\"id\":\"1\"},{\"id\":\"2\",\"url\":\"http://a.test/2\"}]";

        String a = parse(ndjson, NDJSON).fingerprint();
        assertEquals(a, parse(array, JSON).fingerprint());
        assertNotEquals(a, parse(parser, ndjson, NDJSON, Map.of("topK", "2")).fingerprint());
        assertNotEquals(a, parse(ndjson.replace("a.test/2", "a.test/3"), NDJSON).fingerprint());
    }

    @Test
    void aHundredThousandItemsAreReadOneAtATime() {
        BatchParser big = new BatchParser(100_000, 64L << 20);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            body.append("{\"id\":\"photo-").append(i).append("\",\"url\":\"https://photos.test/u/").append(i)
                    .append(".jpg\"}\n");
        }

        BatchSubmission s = parse(big, body.toString(), NDJSON, Map.of());

        assertEquals(100_000, s.items().size());
        assertNull(s.options().topK());
    }
}
