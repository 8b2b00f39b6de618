package tagger.testkit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import tagger.common.Names;
import tagger.common.TrafficClass;

/**
 * A random namespace for one test, so parallel builds sharing one broker and one Redis never
 * collide, plus the cleanup that deletes everything the test created under it.
 *
 * <p>Ask it for the service URIs ({@link #rabbitUri()}, {@link #redisUri()}): {@link #close()}
 * cleans only the services the test used, so a Redis-only test does not need RabbitMQ.
 */
public final class TestNamespace implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Names names;
    private final Set<String> extraQueues = new LinkedHashSet<>();
    private URI rabbit;
    private URI redis;

    private TestNamespace(Names names) {
        this.names = names;
    }

    /** A namespace {@code it-} plus ten random characters. */
    public static TestNamespace random() {
        StringBuilder sb = new StringBuilder("it-");
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return new TestNamespace(new Names(sb.toString()));
    }

    public Names names() {
        return names;
    }

    public synchronized URI rabbitUri() {
        if (rabbit == null) {
            rabbit = LocalServices.rabbitUri();
        }
        return rabbit;
    }

    public synchronized URI redisUri() {
        if (redis == null) {
            redis = LocalServices.redisUri();
        }
        return redis;
    }

    /** Also delete this queue on close (for queues a test declares outside {@link Names}). */
    public synchronized void deleteOnClose(String queue) {
        extraQueues.add(queue);
    }

    /** Messages ready in {@code queue} right now (0 when the queue does not exist). */
    public long messageCount(String queue) {
        ConnectionFactory cf = new ConnectionFactory();
        try {
            cf.setUri(rabbitUri());
            cf.setAutomaticRecoveryEnabled(false);
            try (com.rabbitmq.client.Connection c = cf.newConnection("tagger-test-inspect");
                    Channel ch = c.createChannel()) {
                return ch.queueDeclarePassive(queue).getMessageCount();
            }
        } catch (java.io.IOException e) {
            return 0; // passive declare of a missing queue closes the channel with 404
        } catch (Exception e) {
            throw new IllegalStateException("cannot inspect queue " + queue + ": " + e, e);
        }
    }

    /** Deletes the namespace's queues, exchanges and Redis keys; reports every failure at once. */
    @Override
    public synchronized void close() {
        List<String> problems = new ArrayList<>();
        if (rabbit != null) {
            deleteBrokerObjects(problems);
        }
        if (redis != null) {
            deleteKeys(problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cleaning namespace " + names.namespace() + " failed: " + problems);
        }
    }

    private void deleteBrokerObjects(List<String> problems) {
        Set<String> queues = new LinkedHashSet<>();
        for (TrafficClass c : TrafficClass.values()) {
            queues.add(names.queue(c));
        }
        queues.add(names.bulkUrlQueue());
        queues.add(names.deadLetter());
        queues.addAll(extraQueues);
        ConnectionFactory cf = new ConnectionFactory();
        try {
            cf.setUri(rabbit);
            cf.setAutomaticRecoveryEnabled(false);
            cf.setConnectionTimeout(2000);
            try (com.rabbitmq.client.Connection c = cf.newConnection("tagger-test-cleanup")) {
                for (String q : queues) {
                    // a fresh channel each time: a failed delete closes its channel
                    try (Channel ch = c.createChannel()) {
                        ch.queueDelete(q);
                    } catch (Exception e) {
                        problems.add("queue " + q + ": " + e);
                    }
                }
                for (String x : List.of(names.exchange(), names.deadLetter())) {
                    try (Channel ch = c.createChannel()) {
                        ch.exchangeDelete(x);
                    } catch (Exception e) {
                        problems.add("exchange " + x + ": " + e);
                    }
                }
            }
        } catch (Exception e) {
            problems.add("RabbitMQ at " + LocalServices.withoutUserInfo(rabbit) + ": " + e);
        }
    }

    private void deleteKeys(List<String> problems) {
        try (RedisClient client = RedisClient.create(redis)) {
            ScanParams match = new ScanParams().match(names.namespace() + ":*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = client.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    client.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } catch (Exception e) {
            problems.add("Redis at " + LocalServices.withoutUserInfo(redis) + ": " + e);
        }
    }
}
