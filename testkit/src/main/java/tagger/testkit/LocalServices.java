package tagger.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tagger.fixtures.LocalProcesses;

/**
 * Where integration tests find RabbitMQ and Redis: a configured URI, else containers when Docker
 * runs, else the services on this machine; an unreachable service fails the test with how to start it.
 */
public final class LocalServices {
    public static final String RABBITMQ_URI_ENV = "TAGGER_RABBITMQ_URI";
    public static final String REDIS_URI_ENV = "TAGGER_REDIS_URI";

    /** One of the two services, with everything needed to find it and to explain how to start it. */
    enum Service {
        RABBITMQ("RabbitMQ", RABBITMQ_URI_ENV, URI.create("amqp://guest:guest@127.0.0.1:5672"), 5672,
                "rabbitmq-server -detached"),
        REDIS("Redis", REDIS_URI_ENV, URI.create("redis://127.0.0.1:6379"), 6379,
                "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no");

        final String title;
        final String env;
        final URI local;
        final int defaultPort;
        final String startCommand;

        Service(String title, String env, URI local, int defaultPort, String startCommand) {
            this.title = title;
            this.env = env;
            this.local = local;
            this.defaultPort = defaultPort;
            this.startCommand = startCommand;
        }
    }

    private static URI rabbit;
    private static URI redis;

    private LocalServices() {
    }

    /** The AMQP URI of a reachable RabbitMQ (credentials included); resolved once per JVM. */
    public static synchronized URI rabbitUri() {
        if (rabbit == null) {
            rabbit = resolve(Service.RABBITMQ, System.getenv(), LocalServices::dockerAvailable,
                    () -> Containers.rabbitUri(), LocalServices::reachable);
        }
        return rabbit;
    }

    /** The URI of a reachable Redis; resolved once per JVM. */
    public static synchronized URI redisUri() {
        if (redis == null) {
            redis = resolve(Service.REDIS, System.getenv(), LocalServices::dockerAvailable,
                    () -> Containers.redisUri(), LocalServices::reachable);
        }
        return redis;
    }

    /** The decision, with every outside effect passed in so a fast test can drive it. */
    static URI resolve(Service service, Map<String, String> env, BooleanSupplier docker,
                       Supplier<URI> container, Predicate<URI> reachable) {
        String configured = env.get(service.env);
        URI uri;
        String origin;
        if (configured != null && !configured.isBlank()) {
            uri = URI.create(configured.trim());
            origin = "from " + service.env;
        } else if (docker.getAsBoolean()) {
            return container.get();
        } else {
            uri = service.local;
            origin = "the local default (no " + service.env + ", no Docker)";
        }
        if (!reachable.test(uri)) {
            throw new IllegalStateException(service.title + " is not reachable at " + withoutUserInfo(uri)
                    + ", " + origin + ". Integration tests need it: start it with `" + service.startCommand
                    + "`, or set " + service.env + " to a running instance.");
        }
        return uri;
    }

    /** Host and port of the URI, with the service's default port when the URI names none. */
    static InetSocketAddress address(URI uri) {
        return LocalProcesses.address(uri);
    }

    static String withoutUserInfo(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static boolean reachable(URI uri) {
        try (Socket s = new Socket()) {
            s.connect(address(uri), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True only when Testcontainers is on the classpath and finds a Docker engine. */
    private static boolean dockerAvailable() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, LocalServices.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        // Containers is loaded only here, so projects without the optional dependency never see it.
        return Containers.dockerAvailable();
    }
}
