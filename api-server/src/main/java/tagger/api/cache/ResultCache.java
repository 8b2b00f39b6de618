package tagger.api.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.CachedTags;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.Names;
import tagger.common.Sha256;
import tagger.common.Tag;
import tagger.common.Threads;
import tagger.common.Timings;
import tagger.common.TrafficClass;
import tagger.transport.CacheReader;
import tagger.transport.PresenceBoard;

/**
 * The api-server's side of the result cache: before an image is published, look its SHA-256 up
 * under each model the workers serve; a usable entry answers the request and nothing is published.
 * On a miss the job carries the hash, and the worker that tags it stores the entry with its result
 * (see docs/decisions.md, "Result cache"). Never fails a request: an unreachable cache is a miss.
 *
 * <p>Metric {@code tagger.api.cache.lookups} counts lookups by traffic class and outcome
 * ({@code hit}, {@code miss}, {@code error}); the hit rate is hits over all three.
 */
public final class ResultCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultCache.class);

    private final CacheReader reader;
    private final ServedModels models;
    private final Names names;
    private final Map<TrafficClass, Map<Outcome, Counter>> lookups = new EnumMap<>(TrafficClass.class);
    private final boolean enabled;
    private volatile boolean failing;

    /** How one lookup ended. */
    public enum Outcome {
        HIT, MISS, ERROR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the flow does with an image: its hash to send with the job (null: the result is not to be
     * cached), and the answer when the cache had one.
     *
     * @param verdict {@link tagger.common.Timings#CACHE_HIT} or {@code CACHE_MISS}; null when nothing was looked up
     */
    public record Lookup(String contentHash, Hit hit, String verdict) {
        static final Lookup NONE = new Lookup(null, null, null);
    }

    /** The tags the cache answered with, already cut to the request's options, and the model that made them. */
    public record Hit(List<Tag> tags, ModelRef model) {
    }

    private ResultCache(CacheReader reader, ServedModels models, Names names, boolean enabled,
            MeterRegistry registry) {
        this.reader = reader;
        this.models = models;
        this.names = names;
        this.enabled = enabled;
        for (TrafficClass c : TrafficClass.values()) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                byOutcome.put(o, Counter.builder("tagger.api.cache.lookups")
                        .description("result cache lookups before publishing an image, by outcome")
                        .tag("class", c.key()).tag("outcome", o.tag()).register(registry));
            }
            lookups.put(c, byOutcome);
        }
    }

    /**
     * Starts a cache that reads entries from {@code reader} (owned from now on) and learns the served
     * models from {@code board} (shared: not closed here).
     */
    public static ResultCache start(CacheReader reader, PresenceBoard board, Names names, MeterRegistry registry) {
        ServedModels served = new ServedModels(board);
        ResultCache cache = new ResultCache(reader, served, names, true, registry);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.single("cache-models"));
        served.start(timer);
        return cache;
    }

    /** A cache that is switched off: nothing is looked up and no job carries a hash. */
    public static ResultCache off(MeterRegistry registry) {
        return new ResultCache(null, null, null, false, registry);
    }

    /** A cache whose served models are fixed (tests): no presence board, no refresh thread. */
    public static ResultCache of(CacheReader reader, List<ModelRef> served, Names names, MeterRegistry registry) {
        return new ResultCache(reader, ServedModels.fixed(served), names, true, registry);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The models lookups go under now (the live workers' models, most served first); empty when off. */
    public List<ModelRef> servedModels() {
        return enabled ? models.current() : List.of();
    }

    /**
     * Looks {@code body} up for a request with these options. Blocks for one Redis round trip when a
     * worker is known (none otherwise: without a served model there is no key to look under).
     *
     * @param optOut the caller asked for no cache: nothing is looked up and the result is not cached
     */
    public Lookup lookup(byte[] body, Integer topK, Double minScore, boolean optOut, TrafficClass trafficClass) {
        if (!enabled || optOut) {
            return Lookup.NONE;
        }
        String hash = Sha256.hex(body);
        List<ModelRef> served = models.current();
        if (served.isEmpty()) {
            return new Lookup(hash, null, null);
        }
        List<String> values;
        try {
            values = reader.read(served.stream().map(m -> names.cacheKey(hash, m)).toList());
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("result cache unreachable, answering without it until it recovers: {}", e.getMessage());
                failing = true;
            }
            count(trafficClass, Outcome.ERROR);
            return new Lookup(hash, null, Timings.CACHE_MISS);
        }
        Optional<Hit> hit = Optional.empty();
        for (int i = 0; i < values.size() && hit.isEmpty(); i++) {
            hit = answer(values.get(i), topK, minScore);
        }
        count(trafficClass, hit.isPresent() ? Outcome.HIT : Outcome.MISS);
        return new Lookup(hash, hit.orElse(null),
                hit.isPresent() ? Timings.CACHE_HIT : Timings.CACHE_MISS);
    }

    private static Optional<Hit> answer(String json, Integer topK, Double minScore) {
        if (json == null) {
            return Optional.empty();
        }
        CachedTags entry;
        try {
            entry = Json.read(json, CachedTags.class);
        } catch (RuntimeException e) {
            log.debug("ignoring an unreadable result cache entry: {}", e.toString());
            return Optional.empty();
        }
        return CacheAnswer.answer(entry, topK, minScore).map(tags -> new Hit(tags, entry.model()));
    }

    private void count(TrafficClass c, Outcome o) {
        lookups.get(c).get(o).increment();
    }

    @Override
    public void close() {
        if (models != null) {
            models.close();
        }
        if (reader != null) {
            reader.close();
        }
    }
}
