package tagger.loadtest.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CostModelTest {

    @Test
    void oneWorkerAtHalfADollarAnHourTaggingHundredImagesPerSecond() {
        // 100 img/s = 360 000 images per hour for $0.526 → $1.461 per million
        CostModel cost = new CostModel(0.526, 1, 0, 0);
        assertEquals(1.4611, cost.perMillionImages(100).getAsDouble(), 1e-4);
    }

    @Test
    void apiServersAndMoreWorkersAddToTheFleetsHourlyCost() {
        CostModel cost = new CostModel(0.5, 4, 0.1, 2);
        assertEquals(2.2, cost.fleetPerHour(), 1e-12);
        // 2.2 $/h at 1000 img/s = 3.6 M images/h → $0.6111 per million
        assertEquals(0.6111, cost.perMillionImages(1000).getAsDouble(), 1e-4);
        assertEquals("4 worker(s) × $0.500/h + 2 api-server(s) × $0.100/h = $2.200/h", cost.toString());
    }

    @Test
    void noGoodputOrNoPriceMeansNoCost() {
        assertTrue(new CostModel(0.5, 1, 0, 0).perMillionImages(0).isEmpty(), "nothing tagged in time: unbounded");
        assertTrue(CostModel.NONE.perMillionImages(100).isEmpty());
        assertEquals("no cost given", CostModel.NONE.toString());
    }

    @Test
    void negativePricesAreRefused() {
        assertEquals("costs and counts must be >= 0, got worker $-1.0/h x 1, api $0.0/h x 0",
                assertThrows(IllegalArgumentException.class, () -> new CostModel(-1, 1, 0, 0)).getMessage());
    }
}
