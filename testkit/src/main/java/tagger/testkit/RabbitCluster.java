package tagger.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import tagger.fixtures.LocalProcesses;

/**
 * A RabbitMQ cluster of a test's own: {@code n} {@link RabbitNode}s on this machine, booted at once,
 * the second and later joined to the first. {@link #uri()} names every node, as the product's
 * {@code TAGGER_RABBITMQ_URI} takes a cluster. The shared broker is never involved.
 */
public final class RabbitCluster implements AutoCloseable {
    private final List<RabbitNode> nodes;
    private final Path home;

    private RabbitCluster(List<RabbitNode> nodes, Path home) {
        this.nodes = nodes;
        this.home = home;
    }

    /**
     * Boots {@code size} nodes and clusters them; gives up after {@code seconds} per step.
     *
     * @throws IOException with the failing node's console output when a node does not come up or join
     */
    public static RabbitCluster start(int size, long seconds) throws IOException {
        Path home = RabbitNode.cookieHome();
        String prefix = "tagger-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<RabbitNode> nodes = new ArrayList<>();
        RabbitCluster cluster = new RabbitCluster(nodes, home);
        try {
            for (int i = 1; i <= size; i++) {
                nodes.add(RabbitNode.launch(prefix + i, home));
            }
            for (RabbitNode n : nodes) {
                n.awaitStarted(seconds);
            }
            RabbitNode first = nodes.get(0);
            for (RabbitNode n : nodes.subList(1, nodes.size())) {
                n.ctl(seconds, "stop_app");
                n.ctl(seconds, "join_cluster", first.name());
                n.ctl(seconds, "start_app");
                n.awaitStarted(seconds);
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public List<RabbitNode> nodes() {
        return List.copyOf(nodes);
    }

    /** {@code amqp://guest:guest@127.0.0.1:p1,127.0.0.1:p2,...}: every node (guest may log in over loopback). */
    public URI uri() {
        StringJoiner hosts = new StringJoiner(",");
        nodes.forEach(n -> hosts.add("127.0.0.1:" + n.amqpPort()));
        return URI.create("amqp://guest:guest@" + hosts);
    }

    /** The node that leads quorum queue {@code queue}, as a live node reports it. */
    public RabbitNode leaderOf(String queue, long seconds) throws IOException {
        RabbitNode asked = nodes.stream().filter(RabbitNode::isAlive).findFirst()
                .orElseThrow(() -> new IOException("no node of the cluster is alive"));
        String out = asked.ctl(seconds, "list_queues", "--quiet", "--no-table-headers", "name", "leader");
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[0].equals(queue)) {
                for (RabbitNode n : nodes) {
                    if (n.name().equals(cols[1])) {
                        return n;
                    }
                }
                throw new IOException("queue " + queue + " is led by " + cols[1] + ", not a node of this cluster");
            }
        }
        throw new IOException("no queue " + queue + " on the cluster: " + out);
    }

    @Override
    public void close() {
        for (RabbitNode n : nodes) {
            n.close();
        }
        LocalProcesses.deleteTree(home);
    }
}
