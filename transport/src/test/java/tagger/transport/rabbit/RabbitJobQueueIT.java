package tagger.transport.rabbit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tagger.testkit.TestNamespace;
import tagger.transport.Eventually;
import tagger.transport.JobPublisher;
import tagger.transport.JobQueueContract;
import tagger.transport.JobSource;

class RabbitJobQueueIT extends JobQueueContract {
    private TestNamespace ns;
    private RabbitTopology topology;
    private RabbitJobPublisher publisher;
    private BrokerAdmin admin;
    private final List<JobSource> sources = new ArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        ns = TestNamespace.random();
        topology = new RabbitTopology(ns.names(), DELIVERY_LIMIT, Map.of());
        publisher = new RabbitJobPublisher(ns.rabbitUri(), topology);
        admin = new BrokerAdmin(ns.rabbitUri());
        Eventually.await("the publisher is connected", Duration.ofSeconds(10), publisher::isReady);
    }

    @AfterEach
    void cleanUp() throws Exception {
        sources.forEach(JobSource::close);
        publisher.close();
        admin.close();
        ns.close();
    }

    @Override
    protected JobPublisher publisher() {
        return publisher;
    }

    @Override
    protected JobSource newSource() {
        RabbitJobSource s = new RabbitJobSource(ns.rabbitUri(), topology);
        sources.add(s);
        return s;
    }

    @Override
    protected List<String> deadLettered(int atLeast) throws Exception {
        return admin.drain(ns.names().deadLetter(), atLeast);
    }
}
