package tagger.transport.redis;

import java.util.List;
import redis.clients.jedis.AbstractPipeline;
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
    static final LuaScript SCRIPT = new LuaScript("""
            local stored = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
            local winner = ARGV[1]
            if not stored then
              winner = redis.call('GET', KEYS[1])
            end
            if ARGV[3] ~= '' and winner then
              redis.call('PUBLISH', ARGV[3], winner)
            end
            if stored then return 1 else return 0 end
            """);

    private CompleteScript() {
    }

    /** Queues the script for one completion; the response is 1 for a first write, 0 otherwise. */
    static Response<Object> queue(AbstractPipeline p, Names names, long ttlSeconds, Completion c) {
        String channel = c.replyTo() == null ? "" : names.doneChannel(c.replyTo());
        return SCRIPT.queue(p, List.of(names.resultKey(c.result().requestId())),
                List.of(Json.write(c.result()), Long.toString(ttlSeconds), channel));
    }
}
