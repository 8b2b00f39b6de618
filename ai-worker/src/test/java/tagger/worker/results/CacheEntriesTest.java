package tagger.worker.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tagger.common.CachedTags;
import tagger.common.ErrorCode;
import tagger.common.JobMeta;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Names;
import tagger.common.Sha256;
import tagger.common.Tag;
import tagger.common.TagResult;
import tagger.common.Timings;
import tagger.common.TrafficClass;
import tagger.transport.ResultStore.CacheEntry;

class CacheEntriesTest {
    private static final Names NAMES = new Names("w1");
    private static final ModelRef MODEL = new ModelRef("demo-colors", "2");
    private static final String SHA = Sha256.hex("image");
    private static final CacheEntries ENTRIES = new CacheEntries(NAMES, MODEL, 5, 0.0, 12, true, Duration.ofHours(2));
    private static final List<Tag> TAGS = List.of(new Tag("red", 0.9));

    private static JobMeta meta(String hash, Integer topK, boolean noCache) {
        return new JobMeta("r1", "api-1", TrafficClass.REALTIME, 1, 0, 1, 0, "", topK, null, null, null, null, null,
                hash, noCache, 0);
    }

    private static TagResult tags(JobMeta meta) {
        return TagResult.tags(meta, TAGS, MODEL, Timings.NONE);
    }

    @Test
    void aSuccessIsCachedUnderTheHashAndThisWorkersModelWithTheOptionsItWasMadeWith() {
        JobMeta meta = meta(SHA, 3, false);
        CacheEntry e = ENTRIES.of(meta, tags(meta));
        assertEquals("w1:cache:demo-colors:2:" + SHA, e.key());
        assertEquals(Duration.ofHours(2), e.ttl());
        assertEquals(new CachedTags(TAGS, MODEL, 3, 0.0, 5, 0.0, 12, true), Json.read(e.json(), CachedTags.class));
    }

    @Test
    void absentOptionsAreStoredAsTheModelDefaultsThatApplied() {
        JobMeta meta = meta(SHA, null, false);
        CachedTags stored = Json.read(ENTRIES.of(meta, tags(meta)).json(), CachedTags.class);
        assertEquals(5, stored.topK());
        assertEquals(0.0, stored.minScore());
    }

    @Test
    void errorsAreNeverCached() {
        JobMeta meta = meta(SHA, null, false);
        assertNull(ENTRIES.of(meta, TagResult.error(meta, ErrorCode.UNDECODABLE, "bad", MODEL, Timings.NONE)));
    }

    @Test
    void aJobWithoutAHashOrOptedOutIsNotCached() {
        JobMeta noHash = meta(null, null, false);
        assertNull(ENTRIES.of(noHash, tags(noHash)));
        JobMeta optedOut = meta(SHA, null, true);
        assertNull(ENTRIES.of(optedOut, tags(optedOut)));
    }

    @Test
    void aZeroTtlTurnsCachingOff() {
        JobMeta meta = meta(SHA, null, false);
        assertNull(CacheEntries.off(NAMES, MODEL).of(meta, tags(meta)));
    }
}
