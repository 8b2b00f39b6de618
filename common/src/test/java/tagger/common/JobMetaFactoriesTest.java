package tagger.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The named factories build exactly what the positional constructor built at each call site before. */
class JobMetaFactoriesTest {
    @Test
    void aRealtimeRequestAsTheApiServerPublishesIt() {
        JobMeta built = JobMeta.realtime("r1", "api-1", 100, 5_100, 3, 0.2, "00-trace")
                .withDownload("https://a.test/x.jpg", 42.5).withEnqueuedAt(150).withContentHash("abc");
        assertEquals(new JobMeta("r1", "api-1", TrafficClass.REALTIME, 100, 5_100, 150, 42.5, "", 3, 0.2,
                "https://a.test/x.jpg", null, null, "00-trace", "abc", false, 0), built);
    }

    @Test
    void aBulkItemAtIntakeAndItsImageAfterTheDownload() {
        JobMeta item = JobMeta.bulkItem("r2", "b1", "i1", "https://a.test/y.png", 200, null, null, true, null);
        assertEquals(new JobMeta("r2", null, TrafficClass.BULK, 200, 0, 200, 0, "", null, null, "https://a.test/y.png",
                "b1", "i1", null, null, true, 0), item);
        assertEquals(new JobMeta("r2", null, TrafficClass.BULK, 200, 0, 300, 12.0, "", null, null,
                "https://a.test/y.png", "b1", "i1", null, "h", true, 0),
                item.withDownload(item.url(), 12.0).withEnqueuedAt(300).withContentHash("h"));
    }
}
