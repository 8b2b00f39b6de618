package tagger.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import tagger.common.Names;
import tagger.common.TagResult;
import tagger.testkit.RedisSentinels;
import tagger.transport.BatchStore;
import tagger.transport.RecordingListener;
import tagger.transport.ResultStore;
import tagger.transport.SampleJobs;
import tagger.transport.StoreUnavailableException;

/**
 * Every Redis client of the product, given a {@code redis-sentinel://} URI, follows the master the
 * sentinels promote: results, notifications, presence, bulk state and the result cache. Runs a private
 * master, replica and sentinels (testkit {@link RedisSentinels}), never the shared Redis.
 */
class RedisSentinelIT {
    /** Sentinels declare the master down after 1 s, then elect a leader and promote: seconds, on a busy machine more. */
    private static final long PROMOTION_S = 60;
    private static final Duration FOLLOW = Duration.ofSeconds(30);

    @Test
    void everyClientFollowsTheReplicaPromotedAfterTheMasterIsKilled() throws Exception {
        followsTheNewMaster(3, RedisSentinels::killMaster);
    }

    @Test
    void everyClientFollowsAFailoverAskedForWhileTheOldMasterStaysUpAsAReplica() throws Exception {
        // the old master answers every write with READONLY now: a client that did not follow would fail
        followsTheNewMaster(1, RedisSentinels::failover);
    }

    private static void followsTheNewMaster(int sentinels, java.util.function.Consumer<RedisSentinels> fail)
            throws Exception {
        Names names = new Names("it-" + UUID.randomUUID().toString().substring(0, 8));
        try (RedisSentinels group = RedisSentinels.start(sentinels);
                RedisResultStore store = new RedisResultStore(group.uri(), names);
                RedisPresenceBoard board = new RedisPresenceBoard(group.uri(), names);
                RedisBatchStore batches = new RedisBatchStore(group.uri(), names);
                RedisCacheReader cache = new RedisCacheReader(group.uri())) {
            RecordingListener listener = new RecordingListener();
            store.subscribe("api-1", listener);
            listener.awaitSubscribed();
            TagResult before = SampleJobs.result("before");
            assertEquals(1, store.complete(List.of(new ResultStore.Completion(before, "api-1"))));
            assertEquals(before.requestId(), listener.next().requestId());
            assertEquals(group.masterPort(), group.master().getPort());

            fail.accept(group);
            group.awaitPromoted(PROMOTION_S);
            // pub/sub is fire-and-forget: what is published before the subscriber is back is missed (the
            // api-server reads those results back); so store the next result once it is subscribed again
            listener.awaitSubscribed();

            // a connection pooled before the switch may fail once; the next one goes to the new master
            TagResult after = SampleJobs.result("after");
            assertEquals(Boolean.TRUE, eventually("storing a result", () ->
                    store.complete(List.of(new ResultStore.Completion(after, "api-1"))) >= 0));
            assertEquals(after.requestId(), listener.next().requestId(), "the notification reached the subscriber");
            assertEquals(Boolean.TRUE, eventually("reading it back",
                    () -> store.fetch(List.of(after.requestId())).containsKey(after.requestId())));
            eventually("announcing presence", () -> {
                board.announce("api", "api-1", "{\"id\":\"api-1\"}", Duration.ofSeconds(30));
                return true;
            });
            assertEquals(List.of("{\"id\":\"api-1\"}"), eventually("listing presence", () -> board.members("api")));
            BatchStore.NewBatch batch = new BatchStore.NewBatch("b-" + UUID.randomUUID(), null, "fp", 3, 0.25, null,
                    Duration.ofMinutes(5));
            assertTrue(eventually("claiming a batch", () -> batches.claim(batch)).created());
            assertEquals(1, eventually("reading the cache", () -> cache.read(List.of(names.resultKey("x")))).size());

            // and all of it went to the promoted replica
            try (Jedis promoted = RedisSentinels.jedis(group.replicaPort())) {
                assertNotNull(promoted.get(names.resultKey(after.requestId())));
                assertTrue(promoted.exists(names.batchKey(batch.batchId())));
                assertTrue(promoted.sismember(names.presenceIndex("api"), "api-1"));
            }
        }
    }

    /** The call's value once it stops failing for want of a reachable master; fails the test after {@link #FOLLOW}. */
    private static <T> T eventually(String what, Supplier<T> call) {
        long until = System.nanoTime() + FOLLOW.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < until) {
            try {
                return call.get();
            } catch (StoreUnavailableException | JedisException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError(what + " kept failing for " + FOLLOW.toSeconds() + " s after the failover", last);
    }
}
