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
 * after the kill) is printed. The cluster is the test's own (testkit {@link RabbitCluster}), never
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

    /** One logical request: retried on 503 or 429 (not accepted) until answered. */
    record Outcome(int index, long startNanos, long endNanos, int status, String requestId, int attempts, String body) {
    }

    @Test
    void killingTheQueueLeaderUnderLoadLosesAndDuplicatesNoAnswer(@TempDir Path tmp) throws Exception {
        // opt-in: one run in six here stalled after the leader kill (16 answers in the next 5 min), not yet
        // explained (docs/reliability.md, "Not covered yet"); it stays out of ./tagger test until it is
        Assumptions.assumeTrue("1".equals(System.getenv("TAGGER_CLUSTER_IT")),
                "the three-node RabbitMQ cluster test runs with TAGGER_CLUSTER_IT=1");
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

                assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES), "the load finished: " + outcomes.size()
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
            if ((a.status() == 503 || a.status() == 429) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
                sleep(200);
                continue;
            }
            String id = a.body() == null ? null : a.body().path("requestId").asText(null);
            return new Outcome(index, start, System.nanoTime(), a.status(), id, attempts, a.raw().body());
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
