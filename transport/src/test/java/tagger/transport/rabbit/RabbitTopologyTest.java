package tagger.transport.rabbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.common.Names;
import tagger.common.TrafficClass;

class RabbitTopologyTest {
    private static final Names NAMES = new Names("t");

    @Test
    void everyQueueIsAQuorumQueueWithDeliveryLimitAndAtLeastOnceDeadLettering() {
        RabbitTopology topology = new RabbitTopology(NAMES, 3, Map.of(TrafficClass.BULK, 1000));

        assertEquals(Map.of("x-queue-type", "quorum", "x-delivery-limit", 3, "x-dead-letter-exchange", "t.dead",
                "x-dead-letter-strategy", "at-least-once", "x-overflow", "reject-publish"),
                topology.queueArguments(TrafficClass.REALTIME));
        assertEquals(1000, topology.queueArguments(TrafficClass.BULK).get("x-max-length"));
    }

    @Test
    void defaultsAreWhatTheServicesDeclareWhenNothingIsConfigured() {
        RabbitTopology topology = RabbitTopology.defaults(NAMES);

        assertEquals(5, topology.deliveryLimit());
        assertEquals(new tagger.common.Settings(Map.of()).queueMaxLengths().get(TrafficClass.REALTIME),
                topology.maxLength(TrafficClass.REALTIME).orElseThrow());
        assertEquals(java.util.Optional.empty(), topology.maxLength(TrafficClass.BULK), "bulk intake is never refused");
    }

    @Test
    void lengthLimitBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RabbitTopology(NAMES, 5, Map.of(TrafficClass.BULK, 0)));

        assertEquals("max length of bulk must be >= 1, got 0", e.getMessage());
    }

    @Test
    void negativeDeliveryLimitIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RabbitTopology(NAMES, -1, Map.of()));

        assertEquals("delivery limit must be >= 0, got -1", e.getMessage());
    }

    @Test
    void deliveryCountHeaderIsThePreviousDeliveries() {
        assertEquals(0, RabbitJobSource.previousDeliveries(null));
        assertEquals(0, RabbitJobSource.previousDeliveries(Map.of()));
        assertEquals(2, RabbitJobSource.previousDeliveries(Map.of("x-delivery-count", 2L)));
    }

    @Test
    void theBulkUrlQueueFollowsTheSameRulesWithoutALengthLimit() {
        RabbitTopology topology = new RabbitTopology(NAMES, 3, Map.of(TrafficClass.BULK, 1000));

        assertEquals(Map.of("x-queue-type", "quorum", "x-delivery-limit", 3, "x-dead-letter-exchange", "t.dead",
                "x-dead-letter-strategy", "at-least-once", "x-overflow", "reject-publish"),
                topology.urlQueueArguments());
        assertEquals("t.bulk.urls", NAMES.bulkUrlQueue());
    }
}
