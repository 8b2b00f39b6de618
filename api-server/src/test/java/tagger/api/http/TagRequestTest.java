package tagger.api.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagRequestTest {
    private static final Duration DEFAULT = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofSeconds(60);

    private static TagRequest json(String body) {
        return TagRequest.parseJson(body.getBytes(UTF_8), 3, DEFAULT, MAX);
    }

    private static String jsonProblem(String body) {
        return assertThrows(RequestException.class, () -> json(body)).getMessage();
    }

    @Nested
    class JsonBody {
        @Test
        void aSingleUrlWithoutOptionsTakesTheModelDefaultsAndTheDefaultTimeout() {
            TagRequest r = json("{\"url\": \"https://example.com/a.jpg\"}");
            assertEquals("https://example.com/a.jpg", r.url());
            assertFalse(r.isList());
            assertNull(r.topK());
            assertNull(r.minScore());
            assertEquals(DEFAULT, r.timeout());
        }

        @Test
        void aListKeepsItsUrlsInInputOrder() {
            TagRequest r = json("{\"urls\": [\"https://a/1\", \"https://a/2\", \"https://a/3\"]}");
            assertTrue(r.isList());
            assertNull(r.url());
            assertEquals(List.of("https://a/1", "https://a/2", "https://a/3"), r.urls());
        }

        @Test
        void optionsAreReadWhenValid() {
            TagRequest r = json("{\"url\": \"https://a/1\", \"topK\": 3, \"minScore\": 0.25, \"timeoutMs\": 250}");
            assertEquals(3, r.topK());
            assertEquals(0.25, r.minScore());
            assertEquals(Duration.ofMillis(250), r.timeout());
        }

        @Test
        void theResultCacheIsUsedUnlessTheBodySaysCacheFalse() {
            assertTrue(json("{\"url\": \"https://a/1\"}").cache());
            assertTrue(json("{\"url\": \"https://a/1\", \"cache\": true}").cache());
            assertFalse(json("{\"url\": \"https://a/1\", \"cache\": false}").cache());
        }

        @Test
        void cacheMustBeABoolean() {
            assertEquals("\"cache\" must be true or false, got \"no\"",
                    jsonProblem("{\"url\": \"https://a/1\", \"cache\": \"no\"}"));
        }

        @Test
        void explicitNullOptionsMeanTheDefaults() {
            TagRequest r = json("{\"url\": \"https://a/1\", \"topK\": null, \"minScore\": null, \"timeoutMs\": null}");
            assertNull(r.topK());
            assertNull(r.minScore());
            assertEquals(DEFAULT, r.timeout());
        }

        @Test
        void theLargestAllowedTimeoutAndListAreAccepted() {
            TagRequest r = json("{\"urls\": [\"a\", \"b\", \"c\"], \"timeoutMs\": 60000}");
            assertEquals(3, r.urls().size());
            assertEquals(MAX, r.timeout());
        }

        @Test
        void invalidJsonIsRefusedWithTheParsersReason() {
            String message = jsonProblem("{\"url\": ");
            assertTrue(message.startsWith("body is not valid JSON: "), message);
        }

        @Test
        void contentAfterTheJsonObjectIsRefusedNotIgnored() {
            // regression: the parser stopped after the first value, so a second object was silently dropped
            String message = jsonProblem("{\"url\": \"https://a/1\"} {\"url\": \"https://a/2\"}");
            assertTrue(message.startsWith("body is not valid JSON: "), message);
        }

        @Test
        void anEmptyBodyIsRefusedAsNotAnObject() {
            assertEquals("body must be a JSON object with \"url\" or \"urls\"", jsonProblem(""));
        }

        @Test
        void aJsonValueOtherThanAnObjectIsRefused() {
            assertEquals("body must be a JSON object with \"url\" or \"urls\"", jsonProblem("[\"https://a/1\"]"));
            assertEquals("body must be a JSON object with \"url\" or \"urls\"", jsonProblem("\"https://a/1\""));
        }

        @Test
        void anUnknownFieldIsNamedWithTheAllowedOnes() {
            assertEquals("unknown field 'top_k' (allowed: url, urls, topK, minScore, timeoutMs, cache)",
                    jsonProblem("{\"url\": \"https://a/1\", \"top_k\": 3}"));
        }

        @Test
        void neitherUrlNorUrlsIsRefused() {
            assertEquals("exactly one of \"url\" or \"urls\" is required", jsonProblem("{\"topK\": 3}"));
        }

        @Test
        void bothUrlAndUrlsAreRefused() {
            assertEquals("exactly one of \"url\" or \"urls\" is required",
                    jsonProblem("{\"url\": \"https://a/1\", \"urls\": [\"https://a/2\"]}"));
        }

        @Test
        void aUrlThatIsNotANonEmptyStringIsRefusedWithItsValue() {
            assertEquals("\"url\" must be a non-empty string, got 42", jsonProblem("{\"url\": 42}"));
            assertEquals("\"url\" must be a non-empty string, got \"  \"", jsonProblem("{\"url\": \"  \"}"));
            assertEquals("\"url\" must be a non-empty string, got [\"https://a/1\"]",
                    jsonProblem("{\"url\": [\"https://a/1\"]}"));
        }

        @Test
        void urlsThatAreNotAnArrayOrEmptyAreRefused() {
            assertEquals("\"urls\" must be a non-empty array of strings, got \"https://a/1\"",
                    jsonProblem("{\"urls\": \"https://a/1\"}"));
            assertEquals("\"urls\" must be a non-empty array of strings, got []", jsonProblem("{\"urls\": []}"));
        }

        @Test
        void aListAboveTheLimitIsRefusedWithItsSize() {
            assertEquals("\"urls\" may hold at most 3 URLs, got 4",
                    jsonProblem("{\"urls\": [\"a\", \"b\", \"c\", \"d\"]}"));
        }

        @Test
        void everyBadListItemIsNamedByItsIndex() {
            assertEquals("\"urls\"[1] must be a non-empty string, got 7; \"urls\"[2] must be a non-empty string, got \"\"",
                    jsonProblem("{\"urls\": [\"https://a/1\", 7, \"\"]}"));
        }

        @Test
        void aLongBadValueIsAbbreviatedInTheMessage() {
            String longObject = "{\"k\": \"" + "x".repeat(100) + "\"}";
            String message = jsonProblem("{\"urls\": [" + longObject + "]}");
            assertEquals("\"urls\"[0] must be a non-empty string, got " + longObject.replace(" ", "").substring(0, 57)
                    + "...", message);
        }

        @ParameterizedTest(name = "topK {0}")
        @CsvSource(delimiter = '|', value = {"0", "-1", "2.5", "\"3\"", "true", "3000000000"})
        void topKMustBeAnIntegerOfAtLeastOne(String value) {
            assertEquals("\"topK\" must be an integer >= 1, got " + value,
                    jsonProblem("{\"url\": \"https://a/1\", \"topK\": " + value + "}"));
        }

        @Test
        void minScoreMustBeANumber() {
            assertEquals("\"minScore\" must be a number, got \"0.5\"",
                    jsonProblem("{\"url\": \"https://a/1\", \"minScore\": \"0.5\"}"));
        }

        @Test
        void aMinScoreTooLargeForADoubleIsRefusedAsNotFinite() {
            String message = jsonProblem("{\"url\": \"https://a/1\", \"minScore\": 1e999}");
            assertTrue(message.startsWith("\"minScore\" must be a number, got "), message);
        }

        @ParameterizedTest(name = "timeoutMs {0}")
        @CsvSource(delimiter = '|', value = {"0", "-5", "60001", "1.5", "\"100\""})
        void timeoutMustBeAnIntegerWithinOneAndTheMaximum(String value) {
            assertEquals("\"timeoutMs\" must be an integer between 1 and 60000, got " + value,
                    jsonProblem("{\"url\": \"https://a/1\", \"timeoutMs\": " + value + "}"));
        }

        @Test
        void everyProblemIsListedAtOnce() {
            assertEquals("unknown field 'model' (allowed: url, urls, topK, minScore, timeoutMs, cache); "
                            + "exactly one of \"url\" or \"urls\" is required; "
                            + "\"topK\" must be an integer >= 1, got 0; "
                            + "\"minScore\" must be a number, got \"high\"; "
                            + "\"timeoutMs\" must be an integer between 1 and 60000, got 0",
                    jsonProblem("{\"model\": \"x\", \"topK\": 0, \"minScore\": \"high\", \"timeoutMs\": 0}"));
        }
    }

    @Nested
    class QueryString {
        private TagRequest query(String topK, String minScore, String timeoutMs) {
            return TagRequest.parseQuery(topK, minScore, timeoutMs, DEFAULT, MAX);
        }

        private String problem(String topK, String minScore, String timeoutMs) {
            return assertThrows(RequestException.class, () -> query(topK, minScore, timeoutMs)).getMessage();
        }

        @Test
        void noParametersMeanTheDefaults() {
            TagRequest r = query(null, null, null);
            assertNull(r.url());
            assertNull(r.urls());
            assertFalse(r.isList());
            assertNull(r.topK());
            assertNull(r.minScore());
            assertEquals(DEFAULT, r.timeout());
        }

        @Test
        void validParametersAreRead() {
            TagRequest r = query("2", "0.3", "1500");
            assertEquals(2, r.topK());
            assertEquals(0.3, r.minScore());
            assertEquals(Duration.ofMillis(1500), r.timeout());
        }

        @Test
        void cacheFalseInTheQueryOptsOutOfTheResultCache() {
            assertTrue(query(null, null, null).cache());
            assertFalse(TagRequest.parseQuery(null, null, null, "false", DEFAULT, MAX).cache());
            assertTrue(TagRequest.parseQuery(null, null, null, "TRUE", DEFAULT, MAX).cache());
        }

        @Test
        void aCacheParameterOtherThanTrueOrFalseIsRefusedWithItsValue() {
            assertEquals("cache must be true or false, got '0'", assertThrows(RequestException.class,
                    () -> TagRequest.parseQuery(null, null, null, "0", DEFAULT, MAX)).getMessage());
        }

        @Test
        void topKBelowOneIsRefused() {
            assertEquals("topK must be an integer >= 1, got 0", problem("0", null, null));
        }

        @Test
        void topKThatIsNotAnIntegerIsQuoted() {
            assertEquals("topK must be an integer >= 1, got 'five'", problem("five", null, null));
            assertEquals("topK must be an integer >= 1, got ''", problem("", null, null));
        }

        @Test
        void minScoreThatIsNotANumberIsQuoted() {
            assertEquals("minScore must be a number, got 'high'", problem(null, "high", null));
        }

        @Test
        void minScoreMustBeFinite() {
            assertEquals("minScore must be a finite number, got NaN", problem(null, "NaN", null));
            assertEquals("minScore must be a finite number, got Infinity", problem(null, "Infinity", null));
        }

        @Test
        void timeoutOutsideItsBoundsIsRefused() {
            assertEquals("timeoutMs must be between 1 and 60000, got 0", problem(null, null, "0"));
            assertEquals("timeoutMs must be between 1 and 60000, got 60001", problem(null, null, "60001"));
        }

        @Test
        void timeoutThatIsNotAnIntegerIsQuoted() {
            assertEquals("timeoutMs must be an integer, got '2s'", problem(null, null, "2s"));
        }

        @Test
        void everyProblemIsListedAtOnce() {
            assertEquals("topK must be an integer >= 1, got 'x'; minScore must be a number, got 'y'; "
                    + "timeoutMs must be an integer, got 'z'", problem("x", "y", "z"));
        }
    }
}
