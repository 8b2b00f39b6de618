package tagger.transport.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.StreamEntry;
import tagger.common.Names;
import tagger.transport.BatchState;
import tagger.transport.BatchStore;
import tagger.transport.DecayingRate;
import tagger.transport.StoreUnavailableException;

/**
 * Bulk batches in Redis: one hash, one "done" hash and one stream per batch (see {@link BatchScripts}),
 * every change one Lua script. Outcomes are written by {@link BatchOutcomes}, which
 * {@link RedisResultStore} shares, so workers and the download stage dedupe against the same hash.
 */
public final class RedisBatchStore implements BatchStore {
    private final Names names;
    private final String where;
    private final UnifiedJedis client;

    public RedisBatchStore(URI uri, Names names) {
        this.names = names;
        this.where = RedisResultStore.redacted(uri);
        this.client = RedisConnections.pooled(uri, "tagger-batches");
    }

    @Override
    public Claim claim(NewBatch b) {
        String hash = names.batchKey(b.batchId());
        boolean keyed = b.idempotencyKey() != null;
        List<String> args = new ArrayList<>(List.of(b.batchId(), Long.toString(Math.max(1, b.retention().toSeconds())),
                keyed ? "1" : "0", "fingerprint", b.fingerprint()));
        if (b.topK() != null) {
            args.addAll(List.of("topK", b.topK().toString()));
        }
        if (b.minScore() != null) {
            args.addAll(List.of("minScore", b.minScore().toString()));
        }
        if (b.callbackUrl() != null) {
            args.addAll(List.of("callbackUrl", b.callbackUrl()));
        }
        if (b.deadlineAt() > 0) {
            args.addAll(List.of("deadlineAt", Long.toString(b.deadlineAt())));
        }
        List<?> reply = (List<?>) call("creating batch " + b.batchId(), () -> BatchScripts.CLAIM.run(client,
                List.of(keyed ? names.idempotencyKey(b.idempotencyKey()) : hash, hash), args));
        boolean created = ((Number) reply.get(0)).longValue() == 1;
        String id = reply.get(1).toString();
        if (created) {
            call("indexing batch " + id, () -> client.sadd(names.openBatches(), id));
        }
        Batch batch = batch(id).orElseThrow(() -> new StoreUnavailableException("batch " + id
                + " vanished right after it was claimed (expired?)", null));
        return new Claim(created, batch);
    }

    @Override
    public void intakeAlive(String batchId) {
        call("marking the intake of " + batchId + " alive",
                () -> BatchScripts.INTAKE_ALIVE.run(client, List.of(names.batchKey(batchId)), List.of()));
    }

    @Override
    public boolean takeOverIntake(String batchId, Duration staleAfter) {
        Object r = call("taking over the intake of " + batchId, () -> BatchScripts.TAKE_OVER.run(client,
                List.of(names.batchKey(batchId)), List.of(Long.toString(staleAfter.toMillis()))));
        return ((Number) r).longValue() == 1;
    }

    @Override
    public void accepted(String batchId, long items) {
        call("accepting batch " + batchId, () -> BatchScripts.ACCEPT.run(client,
                List.of(names.batchKey(batchId), names.batchCallbacks()), List.of(Long.toString(items), batchId)));
    }

    @Override
    public int record(List<ItemResult> results) {
        if (results.isEmpty()) {
            return 0;
        }
        return call("recording " + results.size() + " batch outcomes", () -> BatchOutcomes.record(client, names, results));
    }

    @Override
    public List<Batch> open() {
        Set<String> ids = call("listing open batches", () -> client.smembers(names.openBatches()));
        List<Batch> open = new ArrayList<>();
        for (String id : ids) {
            Optional<Batch> b = batch(id);
            if (b.isEmpty() || b.get().complete()) {
                call("pruning batch " + id, () -> client.srem(names.openBatches(), id)); // finished or expired
            } else {
                open.add(b.get());
            }
        }
        return open;
    }

    @Override
    public Optional<Batch> batch(String batchId) {
        Map<String, String> h = call("reading batch " + batchId, () -> client.hgetAll(names.batchKey(batchId)));
        return h.isEmpty() ? Optional.empty() : Optional.of(parse(batchId, h));
    }

    @Override
    public Set<String> finishedItems(String batchId, Collection<String> itemIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(itemIds));
        Set<String> finished = new LinkedHashSet<>();
        if (ids.isEmpty()) {
            return finished;
        }
        List<String> flags = call("reading finished items of " + batchId,
                () -> client.hmget(names.batchKey(batchId) + ":done", ids.toArray(String[]::new)));
        for (int i = 0; i < ids.size(); i++) {
            if (flags.get(i) != null) {
                finished.add(ids.get(i));
            }
        }
        return finished;
    }

    @Override
    public Set<String> cancelled(Collection<String> batchIds) {
        return cancelled(client, names, batchIds, where);
    }

    /** Shared with {@link RedisResultStore}: one pipelined HGET of each batch's status. */
    static Set<String> cancelled(UnifiedJedis client, Names names, Collection<String> batchIds, String where) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(batchIds));
        Set<String> cancelled = new LinkedHashSet<>();
        if (ids.isEmpty()) {
            return cancelled;
        }
        try (AbstractPipeline p = client.pipelined()) {
            List<Response<String>> states = new ArrayList<>();
            for (String id : ids) {
                states.add(p.hget(names.batchKey(id), "status"));
            }
            p.sync();
            for (int i = 0; i < ids.size(); i++) {
                if (BatchState.CANCELLED.key().equals(states.get(i).get())) {
                    cancelled.add(ids.get(i));
                }
            }
        } catch (JedisException e) {
            throw new StoreUnavailableException("reading the state of " + ids.size() + " batches from Redis at "
                    + where + " failed: " + e.getMessage(), e);
        }
        return cancelled;
    }

    @Override
    public Page results(String batchId, String cursor, int limit) {
        String start = cursor == null ? "-" : "(" + cursor;
        List<StreamEntry> entries = call("reading results of batch " + batchId,
                () -> client.xrange(names.batchKey(batchId) + ":results", start, "+", limit));
        List<Entry> page = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            page.add(new Entry(e.getID().toString(), e.getFields().get("o")));
        }
        return new Page(page, page.isEmpty() ? cursor : page.get(page.size() - 1).cursor());
    }

    @Override
    public CancelResult cancel(String batchId) {
        Object r = call("cancelling batch " + batchId,
                () -> BatchScripts.CANCEL.run(client, List.of(names.batchKey(batchId)), List.of()));
        return switch (r.toString()) {
            case "cancelled" -> CancelResult.CANCELLED;
            case "finished" -> CancelResult.ALREADY_FINISHED;
            default -> CancelResult.UNKNOWN;
        };
    }

    @Override
    public Optional<CallbackClaim> claimCallback(Duration lease) {
        String prefix = names.batchKey("");
        Object r = call("claiming a batch callback", () -> BatchScripts.CLAIM_CALLBACK.run(client,
                List.of(names.batchCallbacks()), List.of(Long.toString(lease.toMillis()),
                        prefix.substring(0, prefix.length() - 1), "}")));
        if (!(r instanceof List<?> l)) {
            return Optional.empty();
        }
        return Optional.of(new CallbackClaim(l.get(0).toString(), ((Number) l.get(1)).intValue()));
    }

    @Override
    public void callbackSettled(String batchId, String state) {
        callbackDone(batchId, state, -1);
    }

    @Override
    public void callbackRetry(String batchId, Duration delay, String state) {
        callbackDone(batchId, state, delay.toMillis());
    }

    private void callbackDone(String batchId, String state, long delayMs) {
        call("updating the callback of " + batchId, () -> BatchScripts.CALLBACK_DONE.run(client,
                List.of(names.batchCallbacks(), names.batchKey(batchId)), List.of(batchId, state,
                        Long.toString(delayMs))));
    }

    @Override
    public boolean isReady() {
        try {
            return "PONG".equals(client.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    @Override
    public String epoch() {
        String key = names.storeEpoch();
        return call("reading the store epoch", () -> {
            // SET NX: the first reader of an empty store founds its epoch; everyone else reads that one
            client.set(key, UUID.randomUUID().toString(), SetParams.setParams().nx());
            String epoch = client.get(key);
            return epoch == null ? "missing" : epoch;
        });
    }

    @Override
    public void close() {
        client.close();
    }

    /** Memory Redis uses for one key of a batch ("" the hash, ":done", ":results"); for the docs' numbers. */
    public long memoryUsage(String batchId, String suffix) {
        Long bytes = client.memoryUsage(names.batchKey(batchId) + suffix, 0);
        return bytes == null ? 0 : bytes;
    }

    static Batch parse(String id, Map<String, String> h) {
        return new Batch(id, BatchState.fromKey(h.getOrDefault("status", "accepting")), number(h, "total", -1),
                number(h, "done", 0), number(h, "failed", 0), number(h, "cancelled", 0), h.get("fingerprint"),
                h.containsKey("topK") ? Integer.valueOf(h.get("topK")) : null,
                h.containsKey("minScore") ? Double.valueOf(h.get("minScore")) : null, h.get("callbackUrl"),
                h.get("callbackState"), number(h, "createdAt", 0), number(h, "intakeAt", 0),
                (int) number(h, "intakes", 1), number(h, "finishedAt", 0),
                new DecayingRate.Snapshot(h.containsKey("rate") ? Double.parseDouble(h.get("rate")) : 0,
                        number(h, "rateAt", 0), number(h, "firstAt", 0)), number(h, "deadlineAt", 0));
    }

    private static long number(Map<String, String> h, String field, long fallback) {
        String v = h.get(field);
        return v == null ? fallback : (long) Double.parseDouble(v);
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (JedisException e) {
            throw new StoreUnavailableException(what + " in Redis at " + where + " failed: " + e.getMessage(), e);
        }
    }
}
