package tagger.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimingsTest {

    @Test
    void theJsonShapeIsTheContractsFieldsInTheirOrder() {
        Timings t = new Timings(1, 2, 3, 4, 5, 6, 7, 28, 8, 0.5, Timings.CACHE_MISS);
        assertEquals("{\"download\":1.0,\"publish\":2.0,\"queue\":3.0,\"preprocess\":4.0,\"batchWait\":5.0,"
                + "\"inference\":6.0,\"result\":7.0,\"total\":28.0,\"batchSize\":8,\"edgePreprocess\":0.5,"
                + "\"cache\":\"miss\"}", Json.write(t));
        assertEquals(t, Json.read(Json.write(t), Timings.class));
    }

    @Test
    void noCacheVerdictLeavesTheFieldOut() {
        assertEquals("{\"download\":0.0,\"publish\":0.0,\"queue\":0.0,\"preprocess\":0.0,\"batchWait\":0.0,"
                + "\"inference\":0.0,\"result\":0.0,\"total\":0.0,\"batchSize\":0,\"edgePreprocess\":0.0}",
                Json.write(Timings.NONE));
    }

    @Test
    void theBuilderSetsEachStageByName() {
        assertEquals(new Timings(1, 2, 3, 4, 5, 6, 7, 28, 8, 0.5, Timings.CACHE_MISS),
                Timings.builder().download(1).publish(2).queue(3).preprocess(4).batchWait(5).inference(6).result(7)
                        .total(28).batchSize(8).edgePreprocess(0.5).cache(Timings.CACHE_MISS).build());
        assertEquals(new Timings(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null), Timings.builder().build());
    }

    @Test
    void aCacheHitHasOnlyTheDownloadAndTheTotal() {
        assertEquals(new Timings(12.5, 0, 0, 0, 0, 0, 0, 20, 0, 0, Timings.CACHE_HIT), Timings.cacheHit(12.5, 20));
    }
}
