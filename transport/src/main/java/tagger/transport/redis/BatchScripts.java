package tagger.transport.redis;

/**
 * The Lua scripts behind {@link RedisBatchStore}: each one change to a batch, atomic, with Redis's
 * own clock ({@code TIME}) so that api-servers and workers on skewed clocks agree on one timeline.
 *
 * <p>Keys of a batch: the hash {@code ns:batch:{id}} (state, options, counters), the hash
 * {@code ...:done} (item id -> 1: which items have their outcome) and the stream {@code ...:results}
 * (the outcomes, in order; entry ids are the results cursor). All three expire together, the
 * hash's {@code ttl} field after the last write.
 */
final class BatchScripts {
    private static final String NOW = """
            local function now()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            """;

    /** Marks the batch complete once every item has an outcome, and queues its callback. */
    private static final String FINISH = """
            local function finish(batch, callbacks, id, at)
              local f = redis.call('HMGET', batch, 'total', 'done', 'failed', 'cancelled', 'finishedAt', 'status',
                                   'callbackUrl')
              if not f[1] or f[5] then return end
              local n = (tonumber(f[2]) or 0) + (tonumber(f[3]) or 0) + (tonumber(f[4]) or 0)
              if n < tonumber(f[1]) then return end
              redis.call('HSET', batch, 'finishedAt', at)
              if f[6] == 'running' or f[6] == 'accepting' then redis.call('HSET', batch, 'status', 'finished') end
              if f[7] then
                redis.call('ZADD', callbacks, at, id)
                redis.call('HSET', batch, 'callbackState', 'pending')
              end
            end
            """;

    /**
     * KEYS: batch hash, done hash, results stream, callbacks zset. ARGV: item id, outcome JSON,
     * counter ('done', 'failed' or 'cancelled'), batch id, rate time constant (ms).
     * Returns 1 when recorded, 0 when the item already had an outcome, -1 when the batch is unknown.
     */
    static final LuaScript OUTCOME = new LuaScript(NOW + FINISH + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
            if redis.call('HSETNX', KEYS[2], ARGV[1], 1) == 0 then return 0 end
            redis.call('XADD', KEYS[3], '*', 'o', ARGV[2])
            redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
            local at = now()
            local s = redis.call('HMGET', KEYS[1], 'rate', 'rateAt', 'ttl')
            local rate = tonumber(s[1]) or 0
            local dt = at - (tonumber(s[2]) or at)
            if dt < 0 then dt = 0 end
            local tau = tonumber(ARGV[5])
            rate = rate * math.exp(-dt / tau) + 1000 / tau
            redis.call('HSET', KEYS[1], 'rate', string.format('%.6f', rate), 'rateAt', at)
            redis.call('HSETNX', KEYS[1], 'firstAt', at)
            finish(KEYS[1], KEYS[4], ARGV[4], at)
            local ttl = tonumber(s[3]) or 604800
            for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ttl) end
            return 1
            """);

    /**
     * KEYS: idempotency key (or the batch hash again when there is none), batch hash.
     * ARGV: batch id, ttl seconds, has-idempotency-key ('1'/'0'), then field/value pairs.
     * Returns {1, id} when created, {0, existing id} otherwise.
     */
    static final LuaScript CLAIM = new LuaScript(NOW + """
            if ARGV[3] == '1' then
              local existing = redis.call('GET', KEYS[1])
              if existing then return {0, existing} end
            end
            if redis.call('EXISTS', KEYS[2]) == 1 then return {0, ARGV[1]} end
            local at = now()
            redis.call('HSET', KEYS[2], 'status', 'accepting', 'createdAt', at, 'intakeAt', at, 'intakes', 1,
                       'ttl', ARGV[2])
            for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
            redis.call('EXPIRE', KEYS[2], ARGV[2])
            if ARGV[3] == '1' then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
            return {1, ARGV[1]}
            """);

    /** KEYS: batch hash. Refreshes the intake's liveness mark while it is accepting. */
    static final LuaScript INTAKE_ALIVE = new LuaScript(NOW + """
            if redis.call('HGET', KEYS[1], 'status') == 'accepting' then
              redis.call('HSET', KEYS[1], 'intakeAt', now())
            end
            return 1
            """);

    /** KEYS: batch hash. ARGV: stale after (ms). Returns 1 when the caller took the intake over. */
    static final LuaScript TAKE_OVER = new LuaScript(NOW + """
            local s = redis.call('HMGET', KEYS[1], 'status', 'intakeAt')
            if s[1] ~= 'accepting' then return 0 end
            local at = now()
            if at - (tonumber(s[2]) or 0) < tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'intakeAt', at)
            redis.call('HINCRBY', KEYS[1], 'intakes', 1)
            return 1
            """);

    /** KEYS: batch hash, callbacks zset. ARGV: total items, batch id. */
    static final LuaScript ACCEPT = new LuaScript(NOW + FINISH + """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            local at = now()
            redis.call('HSET', KEYS[1], 'total', ARGV[1], 'acceptedAt', at)
            if status == 'accepting' then redis.call('HSET', KEYS[1], 'status', 'running') end
            finish(KEYS[1], KEYS[2], ARGV[2], at)
            return 1
            """);

    /** KEYS: batch hash. Returns 'unknown', 'finished' or 'cancelled'. */
    static final LuaScript CANCEL = new LuaScript(NOW + """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return 'unknown' end
            if status == 'finished' then return 'finished' end
            if status ~= 'cancelled' then
              redis.call('HSET', KEYS[1], 'status', 'cancelled', 'cancelledAt', now())
            end
            return 'cancelled'
            """);

    /**
     * KEYS: callbacks zset, then the batch-key prefix and suffix are ARGV. ARGV: lease (ms), batch key
     * prefix (up to the id), batch key suffix. Returns {id, attempt} or nil.
     */
    static final LuaScript CLAIM_CALLBACK = new LuaScript(NOW + """
            local at = now()
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', at, 'LIMIT', 0, 1)
            if #due == 0 then return false end
            redis.call('ZADD', KEYS[1], at + tonumber(ARGV[1]), due[1])
            local attempt = redis.call('HINCRBY', ARGV[2] .. due[1] .. ARGV[3], 'callbackAttempts', 1)
            return {due[1], attempt}
            """);

    /** KEYS: callbacks zset, batch hash. ARGV: batch id, state, retry delay ms (-1: settled, no retry). */
    static final LuaScript CALLBACK_DONE = new LuaScript(NOW + """
            if tonumber(ARGV[3]) < 0 then
              redis.call('ZREM', KEYS[1], ARGV[1])
            else
              redis.call('ZADD', KEYS[1], now() + tonumber(ARGV[3]), ARGV[1])
            end
            if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], 'callbackState', ARGV[2]) end
            return 1
            """);

    private BatchScripts() {
    }
}
