package tagger.transport.rabbit;

import java.util.Optional;
import tagger.common.Names;
import tagger.common.TrafficClass;

/**
 * Which queues a publisher or source works with: the image queues (one per traffic class, routed
 * by the images exchange) or the bulk URL queue that feeds the api-servers' download stage
 * (published through the default exchange, straight to the queue).
 */
enum Lane {
    IMAGES,
    BULK_URLS;

    String exchange(Names names) {
        return this == IMAGES ? names.exchange() : "";
    }

    String routingKey(Names names, TrafficClass cls) {
        return this == IMAGES ? cls.key() : names.bulkUrlQueue();
    }

    String queue(Names names, TrafficClass cls) {
        return this == IMAGES ? names.queue(cls) : names.bulkUrlQueue();
    }

    Optional<Integer> maxLength(RabbitTopology topology, TrafficClass cls) {
        return this == IMAGES ? topology.maxLength(cls) : Optional.empty();
    }
}
