package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 * ({@code StaleRefusals}), or the stack answers 429 until the callers give up. The cluster is the
 * test's own (testkit {@link RabbitCluster}), never the shared broker; Redis is the shared one, in a
 * namespace of the test's. Load: {@link ClosedLoopLoad}, whose requests are retried on 503 and 429.
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
    /** How long the cluster stays without a majority before a node comes back. */
    private static final long OUTAGE_MS = 8_000;

    /** A fault experiment on a running stack: cluster, the real-time queue's name, api-server, images. */
    private interface Experiment {
        void run(RabbitCluster cluster, String queue, ApiServer api, List<byte[]> images) throws Exception;
    }

    @Test
    void killingTheQueueLeaderUnderLoadLosesAndDuplicatesNoAnswer(@TempDir Path tmp) throws Exception {
        onAStack(tmp, (cluster, queue, api, images) -> {
            // asked before the load: rabbitmqctl takes seconds on a busy machine
            RabbitNode leader = cluster.leaderOf(queue, 60);
            try (ClosedLoopLoad load = new ClosedLoopLoad(TestStack.tagsUrl(api), images, CLIENTS, AFTER_KILL,
                    MAX_REQUESTS)) {
                TestStack.awaitTrue(BEFORE_KILL + " answers before the kill", Duration.ofSeconds(120),
                        () -> load.answered() >= BEFORE_KILL);

                long killedAt = load.fault();
                leader.kill();
                System.out.println("killed " + leader.name() + ", the leader of " + queue + ", after "
                        + load.answered() + " answers");

                awaitLoad(load, 180, cluster, queue, api);
                ClosedLoopLoad.Summary summary = load.assertEveryRequestAnsweredOnce();
                RabbitNode survivor = cluster.nodes().stream().filter(RabbitNode::isAlive).findFirst().orElseThrow();
                RabbitNode newLeader = cluster.leaderOf(queue, 60);
                assertNotEquals(leader.name(), newLeader.name());
                System.out.println("measured: queue-leader kill, " + summary.requests() + " requests ("
                        + load.answeredAfterFault() + " sent after the kill), 0 lost, 0 duplicate; first answer to a "
                        + "request sent after the kill " + summary.firstAnswerAfterFaultMs() + " ms after it; longest "
                        + "time without any answer after the kill " + load.longestSilenceMs(killedAt) + " ms; slowest "
                        + "request around the kill " + summary.slowestAroundFaultMs() + " ms; " + summary.retries()
                        + " retries after 503/429; new leader " + newLeader.name() + " (asked " + survivor.name() + ")");
            }
        });
    }

    /**
     * Two of the three nodes die: the queues have no majority, nothing can be accepted, and callers
     * are refused ({@code 503}/{@code 429}) rather than left waiting; once one node is back, the
     * queues have their majority again and every request is answered, none twice.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void losingTheMajorityRefusesCallersUntilANodeReturnsAndLosesNothing(@TempDir Path tmp) throws Exception {
        onAStack(tmp, (cluster, queue, api, images) -> {
            RabbitNode leader = cluster.leaderOf(queue, 60);
            RabbitNode other = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            // requests sent in the outage are retried until the majority is back: up to a node's restart
            try (ClosedLoopLoad load = new ClosedLoopLoad(TestStack.tagsUrl(api), images, CLIENTS, AFTER_KILL,
                    MAX_REQUESTS, NODE_START_S + ClosedLoopLoad.RETRY_FOR_S)) {
                TestStack.awaitTrue(BEFORE_KILL + " answers before the kills", Duration.ofSeconds(120),
                        () -> load.answered() >= BEFORE_KILL);
                int before = load.answered();
                long lostAt = load.fault();
                leader.kill();
                other.kill();
                Thread.sleep(OUTAGE_MS);
                int inOutage = load.answered() - before;
                long restartedAt = System.nanoTime();
                other.restart(NODE_START_S);
                long backAt = System.nanoTime();
                System.out.println("killed " + leader.name() + " (leader) and " + other.name() + "; "
                        + inOutage + " answers in the " + OUTAGE_MS + " ms without a majority; " + other.name()
                        + " back after " + TimeUnit.NANOSECONDS.toMillis(backAt - restartedAt) + " ms");

                awaitLoad(load, NODE_START_S + ClosedLoopLoad.RETRY_FOR_S, cluster, queue, api);
                ClosedLoopLoad.Summary summary = load.assertEveryRequestAnsweredOnce();
                long firstAfterBack = load.outcomes().stream().filter(o -> o.endNanos() >= backAt)
                        .mapToLong(o -> TimeUnit.NANOSECONDS.toMillis(o.endNanos() - backAt)).min().orElse(-1);
                System.out.println("measured: majority lost for " + TimeUnit.NANOSECONDS.toMillis(backAt - lostAt)
                        + " ms (two of three nodes killed, one restarted), " + summary.requests() + " requests, 0 lost, "
                        + "0 duplicate; first answer " + firstAfterBack + " ms after the node was back; " + summary.retries()
                        + " retries; refused: " + load.refusedCounts());
            }
        });
    }

    /** Starts a three-node cluster, a worker and an api-server on it, and runs the experiment. */
    private static void onAStack(Path tmp, Experiment experiment) throws Exception {
        Assumptions.assumeTrue(RabbitNode.installed(),
                "rabbitmq-server is not installed (/usr/lib/rabbitmq/bin): the cluster test needs its own nodes");
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            images.add(SampleImages.png(SampleImages.solid(48, 48, new Color(i * 15, 255 - i * 15, 90))));
        }
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
                experiment.run(cluster, ns.names().queue(TrafficClass.REALTIME), api, images);
            }
        }
    }

    /** Waits for the load to end; prints the refusals, and what the cluster says if it did not end. */
    private static void awaitLoad(ClosedLoopLoad load, long seconds, RabbitCluster cluster, String queue, ApiServer api)
            throws InterruptedException {
        boolean finished = load.await(seconds);
        System.out.println("refused attempts after the fault: " + load.refusals());
        if (!finished) {
            diagnose(cluster, queue, api);
        }
        assertTrue(finished, "the load finished: " + load.answered() + " answered, "
                + load.answeredAfterFault() + " of them sent after the fault");
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
}
