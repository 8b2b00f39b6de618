package tagger.common;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Names of every shared resource, derived from one namespace (default {@code tagger}) so that
 * test runs and side-by-side stacks never collide on one broker or Redis.
 */
public final class Names {
    public static final String DEFAULT_NAMESPACE = "tagger";
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final String ns;

    public Names(String namespace) {
        if (namespace == null || !VALID.matcher(namespace).matches()) {
            throw new IllegalArgumentException(
                    "namespace must match " + VALID.pattern() + ", got '" + namespace + "'");
        }
        this.ns = namespace;
    }

    public String namespace() {
        return ns;
    }

    /** Direct exchange that routes jobs by traffic class. */
    public String exchange() {
        return ns + ".images";
    }

    /** Queue of one traffic class, e.g. {@code tagger.realtime}. */
    public String queue(TrafficClass trafficClass) {
        return ns + "." + trafficClass.key();
    }

    /** Exchange and queue where jobs end after too many failed deliveries. */
    public String deadLetter() {
        return ns + ".dead";
    }

    /**
     * Quorum queue of bulk items still to be downloaded (one small message per item: its URL and
     * ids). Published to through the default exchange.
     */
    public String bulkUrlQueue() {
        return ns + ".bulk.urls";
    }

    /**
     * Prefix of the Redis keys of one bulk batch ({@code ns:batch:{id}}, with {@code :done} and
     * {@code :results} after it). The braces are a Redis Cluster hash tag: one batch's keys share a slot.
     */
    public String batchKey(String batchId) {
        return ns + ":batch:{" + batchId + "}";
    }

    /** Redis key mapping an idempotency key (already hashed by the caller) to its batch id. */
    public String idempotencyKey(String hashedKey) {
        return ns + ":idem:" + hashedKey;
    }

    /** Redis key holding the store's epoch: a random id written into an empty store (see BatchStore.epoch). */
    public String storeEpoch() {
        return ns + ":store-epoch";
    }

    /** Redis set of the ids of batches not yet finished (pruned as they finish or expire). */
    public String openBatches() {
        return ns + ":batches-open";
    }

    /** Redis sorted set of finished batches whose callback is due, scored by when to (re)try. */
    public String batchCallbacks() {
        return ns + ":batch-callbacks";
    }

    /** Redis key holding the result of one request. */
    public String resultKey(String requestId) {
        return ns + ":result:" + requestId;
    }

    /**
     * Redis key of the result cache entry ({@link CachedTags}) for an image's SHA-256 hex and the
     * model that tagged it. Name and version are URL-encoded, so no choice of them can collide.
     */
    public String cacheKey(String contentSha256, ModelRef model) {
        return ns + ":cache:" + encode(model.name()) + ":" + encode(model.version()) + ":" + contentSha256;
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }

    /** Redis pub/sub channel on which one api-server instance hears about finished requests. */
    public String doneChannel(String instanceId) {
        return ns + ":done:" + instanceId;
    }

    /** Redis key (with a short TTL) under which one instance of a kind ("worker", "api") announces itself. */
    public String presenceKey(String kind, String id) {
        return ns + ":presence:" + kind + ":" + id;
    }

    /** Redis set of the instances of a kind that announced themselves; readers prune ids whose key expired. */
    public String presenceIndex(String kind) {
        return ns + ":presence:" + kind + "s";
    }
}
