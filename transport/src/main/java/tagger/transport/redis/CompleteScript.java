package tagger.transport.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import tagger.common.Json;
import tagger.common.Names;
import tagger.transport.ResultStore.Completion;

/**
 * The one Lua script that stores a result and notifies its waiter, run for a whole batch in one
 * pipelined round trip.
 *
 * <p>Store and notify are one script so no crash can land between them. When the key already
 * exists the script publishes the stored value instead: a redelivered job whose first attempt
 * crashed after SET still wakes its waiter, and a waiter only ever hears the winning answer.
 */
final class CompleteScript {
    /** KEYS[1] result key; ARGV[1] result JSON, ARGV[2] TTL seconds, ARGV[3] done channel or "". */
    static final String SOURCE = """
            local stored = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
            local winner = ARGV[1]
            if not stored then
              winner = redis.call('GET', KEYS[1])
            end
            if ARGV[3] ~= '' and winner then
              redis.call('PUBLISH', ARGV[3], winner)
            end
            if stored then return 1 else return 0 end
            """;
    static final String SHA = sha1(SOURCE);

    private CompleteScript() {
    }

    /** Runs the script once per completion, pipelined; returns how many were first writes. */
    static int run(RedisClient client, Names names, long ttlSeconds, List<Completion> completions) {
        String ttl = Long.toString(ttlSeconds);
        List<Response<Object>> replies = new ArrayList<>(completions.size());
        try (Pipeline p = client.pipelined()) {
            for (Completion c : completions) {
                String channel = c.replyTo() == null ? "" : names.doneChannel(c.replyTo());
                replies.add(p.evalsha(SHA, List.of(names.resultKey(c.result().requestId())),
                        List.of(Json.write(c.result()), ttl, channel)));
            }
            p.sync();
        }
        int firstWrites = 0;
        for (Response<Object> r : replies) {
            if (Long.valueOf(1).equals(r.get())) {
                firstWrites++;
            }
        }
        return firstWrites;
    }

    private static String sha1(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-1", e);
        }
    }
}
