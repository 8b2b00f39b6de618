package tagger.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final JobMeta META = new JobMeta("req-1", "api", TrafficClass.REALTIME, 0, 0, 0, 0, "", null,
            null, "http://h/x.png", null, null, null);

    @Test
    void resultWithTagsHasTheContractFieldsAndNoError() {
        TagResult r = TagResult.tags(META, List.of(new Tag("red", 0.9), new Tag("dark", 0.1)),
                new ModelRef("demo", "1"), new Timings(1, 2, 3, 4, 5, 6, 7, 28, 8));
        String json = Json.write(r);
        assertTrue(json.contains("\"requestId\":\"req-1\""), json);
        assertTrue(json.contains("\"tags\":[{\"label\":\"red\",\"score\":0.9}"), json);
        assertTrue(json.contains("\"model\":{\"name\":\"demo\",\"version\":\"1\"}"), json);
        assertTrue(json.contains("\"batchSize\":8"), json);
        assertFalse(json.contains("error"), json);
        assertEquals(r, Json.read(json, TagResult.class));
    }

    @Test
    void errorCodesAreWrittenAsTheirStableStrings() {
        TagResult r = TagResult.error("req-2", "http://h/404", ErrorCode.ORIGIN_STATUS,
                "origin answered HTTP 404", Timings.NONE);
        String json = Json.write(r);
        assertTrue(json.contains("\"error\":{\"code\":\"origin_status\",\"message\":\"origin answered HTTP 404\"}"),
                json);
        assertFalse(json.contains("\"tags\""), json);
        assertEquals(ErrorCode.ORIGIN_STATUS, Json.read(json, TagResult.class).error().code());
    }

    @Test
    void unknownFieldsAreIgnored() {
        TagResult r = Json.read("{\"requestId\":\"x\",\"future\":42,\"tags\":[]}", TagResult.class);
        assertEquals("x", r.requestId());
    }

    @Test
    void namesDeriveFromTheNamespace() {
        Names n = new Names("tagger");
        assertEquals("tagger.realtime", n.queue(TrafficClass.REALTIME));
        assertEquals("tagger.bulk", n.queue(TrafficClass.BULK));
        assertEquals("tagger:result:abc", n.resultKey("abc"));
        assertEquals("tagger:done:api-1", n.doneChannel("api-1"));
    }

    @Test
    void badNamespaceIsRejectedWithTheValue() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Names("Bad Name"));
        assertEquals("namespace must match [a-z0-9][a-z0-9_-]{0,63}, got 'Bad Name'", e.getMessage());
    }
}
