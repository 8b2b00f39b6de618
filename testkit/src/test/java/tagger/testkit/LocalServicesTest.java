package tagger.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.testkit.LocalServices.Service;

class LocalServicesTest {
    private static final URI CONTAINER = URI.create("amqp://guest:guest@10.0.0.9:32771");

    @Test
    void configuredUriWinsOverDockerAndTheLocalDefault() {
        URI uri = LocalServices.resolve(Service.RABBITMQ, Map.of("TAGGER_RABBITMQ_URI", "amqp://u:p@mq.test:5700"),
                () -> true, () -> CONTAINER, u -> true);

        assertEquals(URI.create("amqp://u:p@mq.test:5700"), uri);
    }

    @Test
    void dockerProvidesAContainerWhenNothingIsConfigured() {
        URI uri = LocalServices.resolve(Service.RABBITMQ, Map.of(), () -> true, () -> CONTAINER, u -> false);

        assertEquals(CONTAINER, uri);
    }

    @Test
    void withoutConfigurationOrDockerTheLocalServiceIsUsed() {
        URI uri = LocalServices.resolve(Service.REDIS, Map.of(), () -> false, () -> CONTAINER, u -> true);

        assertEquals(URI.create("redis://127.0.0.1:6379"), uri);
    }

    @Test
    void unreachableLocalRabbitMqFailsWithHowToStartIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalServices.resolve(
                Service.RABBITMQ, Map.of(), () -> false, () -> CONTAINER, u -> false));

        assertEquals("RabbitMQ is not reachable at amqp://127.0.0.1:5672, the local default (no "
                + "TAGGER_RABBITMQ_URI, no Docker). Integration tests need it: start it with "
                + "`rabbitmq-server -detached`, or set TAGGER_RABBITMQ_URI to a running instance.", e.getMessage());
    }

    @Test
    void unreachableConfiguredRedisNamesTheVariableAndHidesThePassword() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalServices.resolve(
                Service.REDIS, Map.of("TAGGER_REDIS_URI", "redis://:secret@cache.test:6390"), () -> false,
                () -> CONTAINER, u -> false));

        assertTrue(e.getMessage().startsWith("Redis is not reachable at redis://cache.test:6390, from TAGGER_REDIS_URI."),
                e.getMessage());
        assertTrue(e.getMessage().contains("redis-server --daemonize yes"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void missingPortMeansTheServiceDefault() {
        assertEquals(6379, LocalServices.address(URI.create("redis://cache.test")).getPort());
        assertEquals(5672, LocalServices.address(URI.create("amqp://mq.test")).getPort());
    }
}
