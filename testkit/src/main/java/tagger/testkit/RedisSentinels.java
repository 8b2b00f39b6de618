package tagger.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;
import tagger.fixtures.LocalProcesses;
import tagger.fixtures.RedisProcess;

/**
 * A private Redis master, one replica and one or more sentinels watching them, all on free loopback
 * ports: what a test needs to fail the master over (kill it, or ask the sentinels) without touching
 * the shared Redis. The sentinels declare a master down after one second of silence, so a failover
 * takes a few seconds. {@link #uri()} is the {@code redis-sentinel://} URI the product takes.
 */
public final class RedisSentinels implements AutoCloseable {
    public static final String MASTER_NAME = "tagger-test";
    private static final long DOWN_AFTER_MS = 1_000;

    private final RedisProcess master;
    private final RedisProcess replica;
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final Path dir;

    private RedisSentinels(RedisProcess master, RedisProcess replica, Path dir) {
        this.master = master;
        this.replica = replica;
        this.dir = dir;
    }

    /**
     * Starts the master, the replica (waiting until it is in sync) and {@code count} sentinels (waiting
     * until each knows the replica, without which it could not fail over).
     */
    public static RedisSentinels start(int count) throws IOException {
        RedisProcess master = RedisProcess.start(false);
        RedisProcess replica = null;
        RedisSentinels group = null;
        try {
            replica = RedisProcess.start(false, List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
            group = new RedisSentinels(master, replica, Files.createTempDirectory("tagger-sentinels-"));
            group.awaitInSync(replica.port());
            for (int i = 0; i < count; i++) {
                group.startSentinel(i, count / 2 + 1);
            }
            for (int port : group.sentinelPorts) {
                group.awaitSentinelKnowsReplica(port);
            }
            return group;
        } catch (IOException | RuntimeException e) {
            if (group != null) {
                group.close();
            } else {
                master.close();
                if (replica != null) {
                    replica.close();
                }
            }
            throw e;
        }
    }

    /** {@code redis-sentinel://127.0.0.1:p1,127.0.0.1:p2/?master=tagger-test}. */
    public URI uri() {
        StringJoiner hosts = new StringJoiner(",");
        sentinelPorts.forEach(p -> hosts.add("127.0.0.1:" + p));
        return URI.create("redis-sentinel://" + hosts + "/?master=" + MASTER_NAME);
    }

    /** The master as the first sentinel reports it now. */
    public HostAndPort master() {
        try (Jedis s = jedis(sentinelPorts.get(0))) {
            List<String> addr = s.sentinelGetMasterAddrByName(MASTER_NAME);
            return new HostAndPort(addr.get(0), Integer.parseInt(addr.get(1)));
        }
    }

    public int masterPort() {
        return master.port();
    }

    public int replicaPort() {
        return replica.port();
    }

    /** Kills the master (SIGKILL); the sentinels notice within about a second and promote the replica. */
    public void killMaster() {
        master.kill();
    }

    /** Asks a sentinel to fail over now: the master is demoted to a replica of the promoted one, alive. */
    public void failover() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Jedis s = jedis(sentinelPorts.get(0))) {
                s.sentinelFailover(MASTER_NAME);
                return;
            } catch (JedisException e) {
                // NOGOODSLAVE until the sentinel has fresh INFO from the replica
                if (System.nanoTime() > until) {
                    throw e;
                }
            }
            LocalProcesses.sleep(200);
        }
    }

    /**
     * Waits until every sentinel names the replica as the master and the replica says it is one.
     *
     * @throws IllegalStateException when that did not happen within {@code seconds}
     */
    public void awaitPromoted(long seconds) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!promoted()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the sentinels did not promote the replica on port " + replica.port()
                        + " within " + seconds + " s; sentinel log: " + log(0));
            }
            LocalProcesses.sleep(100);
        }
    }

    private boolean promoted() {
        try {
            for (int port : sentinelPorts) {
                try (Jedis s = jedis(port)) {
                    List<String> addr = s.sentinelGetMasterAddrByName(MASTER_NAME);
                    if (addr == null || Integer.parseInt(addr.get(1)) != replica.port()) {
                        return false;
                    }
                }
            }
            try (Jedis r = jedis(replica.port())) {
                return r.role().get(0).toString().equals("master");
            }
        } catch (JedisException e) {
            return false;
        }
    }

    private void startSentinel(int index, int quorum) throws IOException {
        int port = LocalProcesses.freePort();
        Path conf = dir.resolve("sentinel-" + index + ".conf");
        // a sentinel rewrites its own file: it must be writable and its own
        Files.writeString(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " " + quorum,
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
                "sentinel failover-timeout " + MASTER_NAME + " 10000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
        Process p = new ProcessBuilder("redis-server", conf.toString(), "--sentinel").redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel-" + index + ".log").toFile()).start();
        sentinels.add(p);
        sentinelPorts.add(port);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LocalProcesses.accepts(port)) {
            if (!p.isAlive() || System.nanoTime() > until) {
                throw new IOException("redis-server --sentinel on port " + port + " did not start; log: " + log(index));
            }
            LocalProcesses.sleep(20);
        }
    }

    private void awaitInSync(int replicaPort) throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Jedis r = jedis(replicaPort)) {
                if (r.info("replication").contains("master_link_status:up")) {
                    return;
                }
            } catch (JedisException e) {
                // still starting
            }
            if (System.nanoTime() > until) {
                throw new IOException("the replica on port " + replicaPort + " did not sync with its master in 20 s");
            }
            LocalProcesses.sleep(50);
        }
    }

    private void awaitSentinelKnowsReplica(int port) throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Jedis s = jedis(port)) {
                var replicas = s.sentinelReplicas(MASTER_NAME);
                if (!replicas.isEmpty() && "slave".equals(replicas.get(0).get("flags"))
                        && "ok".equals(replicas.get(0).get("master-link-status"))) {
                    return;
                }
            } catch (JedisException e) {
                // still starting
            }
            if (System.nanoTime() > until) {
                throw new IOException("the sentinel on port " + port + " did not discover the replica in 30 s");
            }
            LocalProcesses.sleep(100);
        }
    }

    private String log(int index) {
        try {
            return Files.readString(dir.resolve("sentinel-" + index + ".log"));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (Process p : sentinels) {
            p.destroy();
        }
        for (Process p : sentinels) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        replica.close();
        master.close();
        LocalProcesses.deleteTree(dir);
    }

    /** A plain connection to one of the group's servers (RESP2: the legacy Jedis class speaks no other). */
    public static Jedis jedis(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2_000).socketTimeoutMillis(2_000).protocol(RedisProtocol.RESP2).build());
    }
}
