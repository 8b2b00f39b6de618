package tagger.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsApplyWhenUnset() {
        Settings s = new Settings(Map.of());
        assertEquals(8080, s.integer("TAGGER_HTTP_PORT", 8080, 0, 65535));
        assertEquals(Duration.ofMillis(5000), s.millis("TAGGER_TIMEOUT_MS", 5000, 1, 60000));
        assertTrue(s.problems().isEmpty());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsValue() {
        Settings s = new Settings(Map.of(
                "TAGGER_HTTP_PORT", "http",
                "TAGGER_MAX_URLS", "0",
                "TAGGER_ALLOW", "maybe",
                "TAGGER_RABBITMQ_URI", "localhost:5672",
                "TAGGER_DEVICE", "tpu"));
        s.integer("TAGGER_HTTP_PORT", 8080, 0, 65535);
        s.integer("TAGGER_MAX_URLS", 32, 1, 1000);
        s.bool("TAGGER_ALLOW", false);
        s.uri("TAGGER_RABBITMQ_URI", "amqp://127.0.0.1:5672", Set.of("amqp"));
        s.choice("TAGGER_DEVICE", "auto", List.of("auto", "cpu", "cuda"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.throwIfInvalid("api-server"));
        assertEquals("""
                invalid api-server configuration:
                  - TAGGER_HTTP_PORT must be an integer between 0 and 65535, got 'http'
                  - TAGGER_MAX_URLS must be between 1 and 1000, got 0
                  - TAGGER_ALLOW must be true or false, got 'maybe'
                  - TAGGER_RABBITMQ_URI must be a URI with scheme amqp and a host, got 'localhost:5672'
                  - TAGGER_DEVICE must be one of [auto, cpu, cuda], got 'tpu'""", e.getMessage());
    }

    @Test
    void theResultCacheLivesInTheResultStoresRedisUnlessToldOtherwise() {
        assertEquals(URI.create("redis://127.0.0.1:6379"), new Settings(Map.of()).cacheRedisUri());
        assertEquals(URI.create("redis://results:6379"),
                new Settings(Map.of("TAGGER_REDIS_URI", "redis://results:6379")).cacheRedisUri());
        assertEquals(URI.create("redis://cache:6379"), new Settings(Map.of("TAGGER_REDIS_URI", "redis://results:6379",
                "TAGGER_CACHE_REDIS_URI", "redis://cache:6379")).cacheRedisUri());
    }

    @Test
    void choiceReturnsTheCanonicalSpelling() {
        Settings s = new Settings(Map.of("TAGGER_DEVICE", "CUDA"));
        assertEquals("cuda", s.choice("TAGGER_DEVICE", "auto", List.of("auto", "cpu", "cuda")));
    }

    @Test
    void aUriProblemNamesTheAllowedSchemesInAStableOrder() {
        // regression: the schemes were joined in the set's iteration order, and a Set.of's order changes
        // from one JVM run to the next, so the message flipped between "amqp or amqps" and "amqps or amqp"
        Settings s = new Settings(Map.of("TAGGER_RABBITMQ_URI", "http://mq"));
        s.uri("TAGGER_RABBITMQ_URI", "amqp://127.0.0.1:5672", new LinkedHashSet<>(List.of("amqps", "amqp")));
        assertEquals(List.of("TAGGER_RABBITMQ_URI must be a URI with scheme amqp or amqps and a host, got 'http://mq'"),
                s.problems());
    }

    @Test
    void aClusterIsNamedNodeByNodeInOneUri() {
        Settings s = new Settings(Map.of(
                "TAGGER_RABBITMQ_URI", "amqp://u:p@mq1:5672,mq2:5673,mq3/tagger",
                "TAGGER_REDIS_URI", "redis-sentinel://:secret@s1:26379,s2:26380/2?master=results"));
        URI rabbit = s.rabbitUri();
        URI redis = s.redisUri();
        assertEquals(List.of(), s.problems());
        assertEquals(List.of(new ServiceUri.Host("mq1", 5672), new ServiceUri.Host("mq2", 5673),
                new ServiceUri.Host("mq3", 5672)), ServiceUri.hosts(rabbit, 5672));
        assertEquals(URI.create("amqp://u:p@mq1:5672/tagger"), ServiceUri.first(rabbit, "amqp", 5672));
        assertEquals("amqp://mq1:5672,mq2:5673,mq3/tagger", ServiceUri.redacted(rabbit));
        assertEquals(List.of(new ServiceUri.Host("s1", 26379), new ServiceUri.Host("s2", 26380)),
                ServiceUri.hosts(redis, ServiceUri.DEFAULT_SENTINEL_PORT));
        assertEquals("results", ServiceUri.query(redis, "master"));
        assertEquals(URI.create("redis://:secret@s1:26379/2?master=results"),
                ServiceUri.first(redis, "redis", ServiceUri.DEFAULT_SENTINEL_PORT));
    }

    @Test
    void aBadNodeOrAMissingSentinelMasterIsReportedWithItsValue() {
        Settings s = new Settings(Map.of(
                "TAGGER_RABBITMQ_URI", "amqp://mq1:5672,mq2:99999",
                "TAGGER_REDIS_URI", "redis-sentinel://s1:26379,s2:26379"));
        s.rabbitUri();
        s.redisUri();
        assertEquals(List.of("TAGGER_RABBITMQ_URI: every host of a host list must be host[:port] with a port from 1 "
                        + "to 65535, got 'mq2:99999', in 'amqp://mq1:5672,mq2:99999'",
                "TAGGER_REDIS_URI with scheme redis-sentinel must name the master, as in ?master=mymaster, got "
                        + "'redis-sentinel://s1:26379,s2:26379'"), s.problems());
    }

    @Test
    void theRealtimeQueueIsBoundedByDefaultAndZeroMeansUnbounded() {
        assertEquals(Map.of(TrafficClass.REALTIME, Settings.DEFAULT_REALTIME_MAX_LENGTH),
                new Settings(Map.of()).queueMaxLengths());
        assertEquals(Map.of(TrafficClass.REALTIME, 2), new Settings(Map.of("TAGGER_REALTIME_MAX_LENGTH", "2")).queueMaxLengths());
        assertEquals(Map.of(), new Settings(Map.of("TAGGER_REALTIME_MAX_LENGTH", "0")).queueMaxLengths());
        Settings bad = new Settings(Map.of("TAGGER_REALTIME_MAX_LENGTH", "-1"));
        bad.queueMaxLengths();
        assertEquals(List.of("TAGGER_REALTIME_MAX_LENGTH must be between 0 and 10000000, got -1"), bad.problems());
    }
}
