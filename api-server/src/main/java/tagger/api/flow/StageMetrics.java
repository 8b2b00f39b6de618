package tagger.api.flow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tagger.common.ErrorCode;
import tagger.common.TagResult;
import tagger.common.Timings;

/** Records each finished image request: its outcome and how long every stage took. */
final class StageMetrics {
    private final MeterRegistry registry;
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final Counter ok;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

    StageMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ok = Counter.builder("tagger.api.images").tag("outcome", "ok").register(registry);
        for (ErrorCode c : ErrorCode.values()) {
            errors.put(c, Counter.builder("tagger.api.images").tag("outcome", c.code()).register(registry));
        }
    }

    void record(TagResult r) {
        if (r.failed()) {
            errors.get(r.error().code()).increment();
        } else {
            ok.increment();
        }
        Timings t = r.timings();
        if (t == null) {
            return;
        }
        stage("total", t.total());
        if (r.failed() || Timings.CACHE_HIT.equals(t.cache())) {
            return; // a cache hit ran no stage after the download: zeros would only skew the others
        }
        stage("download", t.download());
        stage("publish", t.publish());
        stage("queue", t.queue());
        stage("preprocess", t.preprocess());
        stage("batch_wait", t.batchWait());
        stage("inference", t.inference());
        stage("result", t.result());
    }

    private void stage(String name, double ms) {
        stages.computeIfAbsent(name, n -> Timer.builder("tagger.api.stage")
                        .description("time spent per stage of a real-time image request")
                        .tag("stage", n)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(Duration.ofNanos((long) (ms * 1_000_000)));
    }
}
