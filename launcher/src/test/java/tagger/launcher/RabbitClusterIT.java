package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.common.TrafficClass;
import tagger.models.DemoModel;
import tagger.testkit.RabbitCluster;
import tagger.testkit.RabbitNode;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * A stack given a three-node RabbitMQ cluster ({@code TAGGER_RABBITMQ_URI} naming every node) keeps
 * answering when the node leading the real-time quorum queue is killed (SIGKILL) under load: every
 * request gets exactly one answer, none is lost, and the recovery time (first answer to a request sent
 * after the kill) is printed. A publishing channel that the queue goes on refusing as "full" while
 * it is empty after the kill (seen with RabbitMQ 3.10) must be replaced by the publisher
 * ({@code StaleRefusals}), or the stack answers 429 until the callers give up. The cluster is the test's own (testkit {@link RabbitCluster}), never
 * the shared broker; Redis is the shared one, in a namespace of the test's.
 */
class RabbitClusterIT {
    private static final int CLIENTS = 6;
    /** Requests answered before the kill: the stack is in full flow when the leader dies. */
    private static final int BEFORE_KILL = 60;
    /** Requests sent after the kill and answered before the load stops. */
    private static final int AFTER_KILL = 200;
    /** A bound on the load, whatever happens. */
    private static final int MAX_REQUESTS = 5_000;
    /** Booting three Erlang VMs on a busy two-core machine. */
    private static final long NODE_START_S = 180;

    /** Refused attempts after the kill, by status and error code, with the last body of each. */
    private static final Map<String, AtomicInteger> REFUSED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, String> REFUSED_BODY = new java.util.concurrent.ConcurrentHashMap<>();

    /** One logical request: retried on 503 or 429 (not accepted) until answered. */
    record Outcome(int index, long startNanos, long endNanos, int status, String requestId, int attempts, String body) {
    }

    @Test
    void killingTheQueueLeaderUnderLoadLosesAndDuplicatesNoAnswer(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(RabbitNode.installed(),
                "rabbitmq-server is not installed (/usr/lib/rabbitmq/bin): the cluster test needs its own nodes");
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            images.add(SampleImages.png(SampleImages.solid(48, 48, new Color(i * 15, 255 - i * 15, 90))));
        }
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        try (RabbitCluster cluster = RabbitCluster.start(3, NODE_START_S);
                TestNamespace ns = TestNamespace.random()) {
            System.out.println("measured: three-node cluster up after "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
            // every request reaches a worker: no result cache, deadlines long enough to outlast a leader election
            Map<String, String> env = Map.of("TAGGER_RABBITMQ_URI", cluster.uri().toString(), "TAGGER_CACHE", "false",
                    "TAGGER_TIMEOUT_MS", "60000", "TAGGER_MAX_TIMEOUT_MS", "60000");
            try (Worker worker = TestStack.worker(ns, model, env);
                    ApiServer api = TestStack.api(ns, env)) {
                String queue = ns.names().queue(TrafficClass.REALTIME);
                // asked before the load: rabbitmqctl takes seconds on a busy machine
                RabbitNode leader = cluster.leaderOf(queue, 60);
                List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger next = new AtomicInteger();
                AtomicLong killed = new AtomicLong();
                AtomicInteger answeredAfterKill = new AtomicInteger();
                for (int c = 0; c < CLIENTS; c++) {
                    clients.execute(() -> {
                        int i;
                        while ((killed.get() == 0 || answeredAfterKill.get() < AFTER_KILL)
                                && (i = next.getAndIncrement()) < MAX_REQUESTS) {
                            Outcome o = call(TestStack.tagsUrl(api), i, images.get(i % images.size()));
                            outcomes.add(o);
                            if (killed.get() != 0 && o.startNanos() >= killed.get()) {
                                answeredAfterKill.incrementAndGet();
                            }
                        }
                    });
                }
                clients.shutdown();
                TestStack.awaitTrue(BEFORE_KILL + " answers before the kill", Duration.ofSeconds(120),
                        () -> outcomes.size() >= BEFORE_KILL);

                long killedAt = System.nanoTime();
                killed.set(killedAt);
                leader.kill();
                System.out.println("killed " + leader.name() + ", the leader of " + queue + ", after "
                        + outcomes.size() + " answers");

                boolean finished = clients.awaitTermination(3, TimeUnit.MINUTES);
                System.out.println("refused attempts after the kill: " + REFUSED + "; last bodies: " + REFUSED_BODY);
                if (!finished) {
                    diagnose(cluster, queue, api);
                }
                assertTrue(finished, "the load finished: " + outcomes.size()
                        + " answered, " + answeredAfterKill.get() + " of them sent after the kill");
                List<Outcome> all = List.copyOf(outcomes);
                assertEquals(Math.min(next.get(), MAX_REQUESTS), all.size(),
                        "every request sent was answered");
                Set<String> ids = new HashSet<>();
                int retried = 0;
                for (Outcome o : all) {
                    assertEquals(200, o.status(), "request " + o.index() + " was lost: " + o.body());
                    assertTrue(ids.add(o.requestId()), "one answer per request id: " + o.requestId());
                    retried += o.attempts() - 1;
                }
                long recoveryMs = all.stream().filter(o -> o.startNanos() >= killedAt)
                        .mapToLong(o -> TimeUnit.NANOSECONDS.toMillis(o.endNanos() - killedAt)).min()
                        .orElseThrow(() -> new AssertionError("no request was sent after the kill"));
                long slowestMs = all.stream().filter(o -> o.endNanos() >= killedAt)
                        .mapToLong(o -> TimeUnit.NANOSECONDS.toMillis(o.endNanos() - o.startNanos())).max().orElse(0);
                long[] ends = all.stream().mapToLong(Outcome::endNanos).filter(t -> t >= killedAt).sorted().toArray();
                long stallMs = 0;
                long previous = killedAt;
                for (long end : ends) {
                    stallMs = Math.max(stallMs, TimeUnit.NANOSECONDS.toMillis(end - previous));
                    previous = end;
                }
                RabbitNode survivor = cluster.nodes().stream().filter(RabbitNode::isAlive).findFirst().orElseThrow();
                RabbitNode newLeader = cluster.leaderOf(queue, 60);
                assertNotEquals(leader.name(), newLeader.name());
                System.out.println("measured: queue-leader kill, " + all.size() + " requests (" + answeredAfterKill.get()
                        + " sent after the kill), 0 lost, 0 duplicate; first answer to a request sent after the kill "
                        + recoveryMs + " ms after it; longest time without any answer after the kill " + stallMs
                        + " ms; slowest request around the kill " + slowestMs + " ms; " + retried
                        + " retries after 503/429; new leader "
                        + newLeader.name() + " (asked " + survivor.name() + ")");
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Posts the image until it is answered other than 503 or 429: nothing was accepted then (the queue
     * was not reachable, or the broker nacked the publish — a quorum queue without a leader nacks, and
     * a nack on a length-limited queue is reported as full, see {@code ConfirmWindow.refusal}).
     */
    private static Outcome call(String url, int index, byte[] png) {
        long start = System.nanoTime();
        int attempts = 0;
        while (true) {
            attempts++;
            Http.Answer a;
            try {
                a = Http.postBytes(url, png, "image/png");
            } catch (UncheckedIOException e) {
                return new Outcome(index, start, System.nanoTime(), -1, null, attempts, e.toString());
            }
            if (a.status() == 503 || a.status() == 429) {
                String key = a.status() + " " + (a.body() == null ? "?" : a.body().path("error").path("code").asText("?"));
                REFUSED.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                REFUSED_BODY.put(key, a.raw().body());
            }
            if ((a.status() == 503 || a.status() == 429) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
                sleep(200);
                continue;
            }
            String id = a.body() == null ? null : a.body().path("requestId").asText(null);
            return new Outcome(index, start, System.nanoTime(), a.status(), id, attempts, a.raw().body());
        }
    }

    /** What the cluster and the api-server say while the stack stalls; node logs are kept in target/. */
    private static void diagnose(RabbitCluster cluster, String queue, ApiServer api) {
        for (RabbitNode n : cluster.nodes()) {
            if (!n.isAlive()) {
                continue;
            }
            try {
                System.out.println("diagnose: " + n.name() + " list_queues: " + n.ctl(60, "list_queues", "--quiet",
                        "name", "type", "leader", "members", "online", "messages", "messages_ready", "state"));
                System.out.println("diagnose: " + n.name() + " quorum_status: " + n.queues(60, "quorum_status", queue));
                System.out.println("diagnose: " + n.name() + " list_channels: " + n.ctl(60, "list_channels", "--quiet",
                        "name", "confirm", "messages_unconfirmed", "messages_unacknowledged", "state"));
            } catch (java.io.IOException e) {
                System.out.println("diagnose: " + n.name() + ": " + e);
            }
        }
        try {
            System.out.println("diagnose: /v1/cluster: " + Http.get("http://127.0.0.1:" + api.port() + "/v1/cluster").raw().body());
        } catch (Exception e) {
            System.out.println("diagnose: /v1/cluster: " + e);
        }
        for (RabbitNode n : cluster.nodes()) {
            Path to = Path.of("target", "rabbit-cluster-logs", n.name());
            try (var files = java.nio.file.Files.walk(n.logs())) {
                java.nio.file.Files.createDirectories(to);
                for (Path f : (Iterable<Path>) files.filter(java.nio.file.Files::isRegularFile)::iterator) {
                    java.nio.file.Files.copy(f, to.resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (java.io.IOException e) {
                System.out.println("diagnose: copying logs of " + n.name() + ": " + e);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
