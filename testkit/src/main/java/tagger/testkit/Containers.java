package tagger.testkit;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * RabbitMQ and Redis containers, started at most once per JVM and removed by Testcontainers when it
 * exits. The only class touching Testcontainers (an optional dependency): load it only via
 * {@link LocalServices} after checking the classpath.
 */
final class Containers {
    // 3.13, not 4.x: the machines without Docker run RabbitMQ 3.10, whose delivery-limit counting
    // (nacks count, no default limit) matches 3.13 and differs from 4.x.
    private static final String RABBITMQ_IMAGE = "rabbitmq:3.13-alpine";
    private static final String REDIS_IMAGE = "redis:7.0-alpine";

    private static RabbitMQContainer rabbit;
    private static GenericContainer<?> redis;

    private Containers() {
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static synchronized URI rabbitUri() {
        if (rabbit == null) {
            RabbitMQContainer c = new RabbitMQContainer(DockerImageName.parse(RABBITMQ_IMAGE));
            c.start();
            rabbit = c;
        }
        return URI.create("amqp://" + rabbit.getAdminUsername() + ":" + rabbit.getAdminPassword() + "@"
                + rabbit.getHost() + ":" + rabbit.getAmqpPort());
    }

    static synchronized URI redisUri() {
        if (redis == null) {
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(6379);
            c.start();
            redis = c;
        }
        return URI.create("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
    }
}
