package tagger.api;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import tagger.api.admission.AdmissionConfig;
import tagger.api.cluster.ClusterConfig;
import tagger.api.bulk.BulkConfig;
import tagger.api.edge.EdgeConfig;
import tagger.api.download.DownloadConfig;
import tagger.common.Names;
import tagger.common.Settings;
import tagger.common.TrafficClass;

/**
 * Everything the api-server can be told, read from {@code TAGGER_*} environment variables and
 * validated at startup (see the configuration table in the README).
 *
 * @param instanceId       this instance's id; results for its callers are announced on its channel
 * @param defaultTimeout   deadline of a request that sets none
 * @param maxTimeout       largest deadline a request may ask for
 * @param maxUrls          most URLs in one {@code urls} request
 * @param maxImageBytes    byte cap for downloads and uploads
 * @param maxImagePixels   pixel cap checked from the image header before publishing
 * @param maxInflight      image requests held at once before new ones are shed with 429
 * @param httpThreads      Jetty's thread pool; requests waiting for results hold none of them
 * @param sweepAfter       age after which a waiting request's stored result is read back, in case
 *                         its notification was lost
 * @param download         the downloader's limits ({@code TAGGER_DOWNLOAD_*}, {@code TAGGER_ALLOW_PRIVATE_NETWORKS},
 *                         and {@code maxImageBytes} as its byte cap)
 * @param queueMaxLengths  per traffic class, the queue bound declared with the queues (the same on every service)
 * @param cluster          targets of the operator view's worker recommendation
 * @param bulk             the bulk path's settings ({@code TAGGER_BULK_*})
 * @param cache            look images up in the result cache before publishing them (real-time and bulk)
 * @param cacheRedisUri    the Redis holding the result cache (by default the result store's)
 * @param admission        what may be accepted: store checks and the upload budget
 * @param edge             where images are preprocessed ({@code TAGGER_PREPROCESS_AT}, {@code TAGGER_EDGE_*})
 */
public record ApiConfig(
        String host,
        int port,
        URI rabbitUri,
        URI redisUri,
        Names names,
        String instanceId,
        Duration defaultTimeout,
        Duration maxTimeout,
        int maxUrls,
        long maxImageBytes,
        long maxImagePixels,
        int maxInflight,
        int httpThreads,
        Duration sweepAfter,
        DownloadConfig download,
        Map<TrafficClass, Integer> queueMaxLengths,
        ClusterConfig cluster,
        BulkConfig bulk,
        boolean cache,
        URI cacheRedisUri,
        AdmissionConfig admission,
        EdgeConfig edge) {

    public static ApiConfig fromEnv(Map<String, String> env) {
        Settings s = new Settings(env);
        Names names = s.names();
        long maxImageBytes = s.longValue("TAGGER_MAX_IMAGE_BYTES", 20L << 20, 1_024, 512L << 20);
        ApiConfig c = new ApiConfig(
                s.string("TAGGER_HTTP_HOST", "0.0.0.0"),
                s.integer("TAGGER_HTTP_PORT", 8080, 0, 65535),
                s.rabbitUri(),
                s.redisUri(),
                names,
                s.string("TAGGER_INSTANCE_ID", Settings.processId("api")),
                s.millis("TAGGER_TIMEOUT_MS", 5_000, 100, 600_000),
                s.millis("TAGGER_MAX_TIMEOUT_MS", 60_000, 100, 3_600_000),
                s.integer("TAGGER_MAX_URLS", 32, 1, 1_000),
                maxImageBytes,
                s.longValue("TAGGER_MAX_IMAGE_PIXELS", 40_000_000, 1, 1_000_000_000),
                s.integer("TAGGER_MAX_INFLIGHT", 10_000, 1, 1_000_000),
                s.integer("TAGGER_HTTP_THREADS", 64, 8, 10_000),
                s.millis("TAGGER_SWEEP_AFTER_MS", 1_000, 50, 60_000),
                DownloadConfig.read(s, maxImageBytes),
                s.queueMaxLengths(),
                ClusterConfig.read(s),
                BulkConfig.read(s),
                s.bool("TAGGER_CACHE", true),
                s.cacheRedisUri(),
                AdmissionConfig.read(s, maxImageBytes),
                EdgeConfig.read(s));
        if (c.defaultTimeout.compareTo(c.maxTimeout) > 0) {
            s.problem("TAGGER_TIMEOUT_MS (" + c.defaultTimeout.toMillis() + ") must not exceed TAGGER_MAX_TIMEOUT_MS ("
                    + c.maxTimeout.toMillis() + ")");
        }
        if (c.maxUrls > c.maxInflight) {
            s.problem("TAGGER_MAX_URLS (" + c.maxUrls + ") must not exceed TAGGER_MAX_INFLIGHT (" + c.maxInflight
                    + "): a list that long could never be admitted");
        }
        if (!c.instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
            s.problem("TAGGER_INSTANCE_ID must be 1-100 letters, digits, '.', '_' or '-', got '" + c.instanceId + "'");
        }
        s.throwIfInvalid("api-server");
        return c;
    }

    /**
     * The bulk downloader's settings: the same limits with its own pool; its per-host cap is enforced by
     * the download stage (so OkHttp never queues a call past its time limit).
     */
    public DownloadConfig bulkDownload() {
        return download.withPool(bulk.downloads(), bulk.downloads());
    }
}
