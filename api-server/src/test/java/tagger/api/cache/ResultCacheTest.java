package tagger.api.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.api.fakes.FakeCacheReader;
import tagger.common.CachedTags;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Names;
import tagger.common.Tag;
import tagger.common.TrafficClass;

class ResultCacheTest {
    private static final Names NAMES = new Names("t1");
    private static final ModelRef V1 = new ModelRef("demo-colors", "1");
    private static final ModelRef V2 = new ModelRef("demo-colors", "2");
    private static final byte[] BYTES = "some image bytes".getBytes(StandardCharsets.UTF_8);
    /** sha256sum of "some image bytes" */
    private static final String SHA = "4a1d0745de0af6810ed553996afd73d8f152b0c32918fda983c0505bc7a07bc1";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeCacheReader reader = new FakeCacheReader();

    private ResultCache cache(List<ModelRef> served) {
        return ResultCache.of(reader, served, NAMES, registry);
    }

    private static String entry(ModelRef model, String label) {
        return Json.write(new CachedTags(List.of(new Tag(label, 0.9)), model, 5, 0.0, 5, 0.0, 10, true));
    }

    private double lookups(String outcome) {
        return registry.get("tagger.api.cache.lookups").tag("class", "realtime").tag("outcome", outcome).counter()
                .count();
    }

    @Test
    void theKeyIsTheSha256OfTheBytesUnderEachServedModel() {
        cache(List.of(V1, V2)).lookup(BYTES, null, null, false, TrafficClass.REALTIME);
        assertEquals(List.of(List.of("t1:cache:demo-colors:1:" + SHA, "t1:cache:demo-colors:2:" + SHA)), reader.reads());
    }

    @Test
    void anEntryOfAServedModelIsAHit() {
        reader.put(NAMES.cacheKey(SHA, V1), entry(V1, "red"));
        ResultCache.Lookup l = cache(List.of(V1)).lookup(BYTES, 1, null, false, TrafficClass.REALTIME);
        assertEquals(new ResultCache.Hit(List.of(new Tag("red", 0.9)), V1), l.hit());
        assertEquals("hit", l.verdict());
        assertEquals(1, lookups("hit"));
    }

    @Test
    void anEntryOfAnotherModelVersionIsAMissThatStillCarriesTheHash() {
        reader.put(NAMES.cacheKey(SHA, V1), entry(V1, "red"));
        ResultCache.Lookup l = cache(List.of(V2)).lookup(BYTES, null, null, false, TrafficClass.REALTIME);
        assertNull(l.hit());
        assertEquals("miss", l.verdict());
        assertEquals(SHA, l.contentHash());
        assertEquals(1, lookups("miss"));
    }

    @Test
    void anOptedOutRequestIsNotLookedUpAndCarriesNoHash() {
        reader.put(NAMES.cacheKey(SHA, V1), entry(V1, "red"));
        ResultCache.Lookup l = cache(List.of(V1)).lookup(BYTES, null, null, true, TrafficClass.REALTIME);
        assertEquals(new ResultCache.Lookup(null, null, null), l);
        assertEquals(List.of(), reader.reads());
    }

    @Test
    void withoutAKnownWorkerNothingIsLookedUpButTheHashTravelsSoTheWorkerFillsTheCache() {
        ResultCache.Lookup l = cache(List.of()).lookup(BYTES, null, null, false, TrafficClass.REALTIME);
        assertEquals(new ResultCache.Lookup(SHA, null, null), l);
        assertEquals(List.of(), reader.reads());
    }

    @Test
    void anUnreachableCacheIsAMissCountedAsAnError() {
        reader.setDown(true);
        ResultCache.Lookup l = cache(List.of(V1)).lookup(BYTES, null, null, false, TrafficClass.REALTIME);
        assertEquals(new ResultCache.Lookup(SHA, null, "miss"), l);
        assertEquals(1, lookups("error"));
    }

    @Test
    void anUnreadableEntryIsAMiss() {
        reader.put(NAMES.cacheKey(SHA, V1), "{not json");
        assertNull(cache(List.of(V1)).lookup(BYTES, null, null, false, TrafficClass.REALTIME).hit());
    }

    @Test
    void aSwitchedOffCacheDoesNothing() {
        ResultCache.Lookup l = ResultCache.off(registry).lookup(BYTES, null, null, false, TrafficClass.BULK);
        assertEquals(new ResultCache.Lookup(null, null, null), l);
    }
}
