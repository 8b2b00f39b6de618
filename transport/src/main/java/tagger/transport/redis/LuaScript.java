package tagger.transport.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** A Lua script run by its SHA-1, loaded again when Redis restarted or flushed its script cache. */
final class LuaScript {
    final String source;
    final String sha;

    LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Runs it once; a cache miss loads it and runs it again (callers' scripts are idempotent). */
    Object run(UnifiedJedis client, List<String> keys, List<String> args) {
        try {
            return client.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            client.scriptLoad(source);
            return client.evalsha(sha, keys, args);
        }
    }

    /** Queues a run on a pipeline; the response throws {@link JedisNoScriptException} on a cache miss. */
    Response<Object> queue(AbstractPipeline pipeline, List<String> keys, List<String> args) {
        return pipeline.evalsha(sha, keys, args);
    }

    void load(UnifiedJedis client) {
        client.scriptLoad(source);
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
