package tagger.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import tagger.common.ErrorCode;
import tagger.common.TagResult;
import tagger.common.TrafficClass;

/** Every meter the worker records, named per Micrometer conventions (lower-case, dotted). */
public final class WorkerMetrics {
    private final DistributionSummary batchSize;
    private final Timer queueWait;
    private final Timer preprocess;
    private final Timer batchWait;
    private final Timer inference;
    private final Counter expiredAtIntake;
    private final Counter expiredAtBatch;
    private final Counter tagged;
    private final Map<ErrorCode, Counter> failed = new EnumMap<>(ErrorCode.class);
    private final Counter duplicates;
    private final Counter redelivered;
    private final DutyCycle dutyCycle;
    private final RecentActivity recent;

    public WorkerMetrics(MeterRegistry registry, DutyCycle dutyCycle) {
        this(registry, dutyCycle, new RecentActivity(10, System::nanoTime));
    }

    /** @param recent the windowed view the presence heartbeat announces */
    public WorkerMetrics(MeterRegistry registry, DutyCycle dutyCycle, RecentActivity recent) {
        this.dutyCycle = dutyCycle;
        this.recent = recent;
        this.batchSize = DistributionSummary.builder("tagger.worker.batch.size")
                .description("images per inference call")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        this.queueWait = timer(registry, "tagger.worker.queue.wait", "from enqueue at the api-server to receipt here");
        this.preprocess = timer(registry, "tagger.worker.preprocess", "decode, resize and normalise one image");
        this.batchWait = timer(registry, "tagger.worker.batch.wait", "from preprocessed to its batch starting");
        this.inference = timer(registry, "tagger.worker.inference", "one session.run call, whole batch");
        this.expiredAtIntake = Counter.builder("tagger.worker.expired").tag("stage", "intake")
                .description("items dropped because their deadline passed").register(registry);
        this.expiredAtBatch = Counter.builder("tagger.worker.expired").tag("stage", "batch")
                .description("items dropped because their deadline passed").register(registry);
        this.tagged = Counter.builder("tagger.worker.images").tag("outcome", "ok").register(registry);
        for (ErrorCode c : ErrorCode.values()) {
            failed.put(c, Counter.builder("tagger.worker.images").tag("outcome", c.code()).register(registry));
        }
        this.duplicates = Counter.builder("tagger.worker.results.duplicate")
                .description("results not stored because another delivery stored one first").register(registry);
        this.redelivered = Counter.builder("tagger.worker.redelivered")
                .description("jobs answered on a second or later delivery (their first worker died or gave them back)")
                .register(registry);
        Gauge.builder("tagger.worker.duty.cycle", dutyCycle, DutyCycle::lastWindow)
                .description("share of wall time inside session.run over the last window").register(registry);
        FunctionCounter.builder("tagger.worker.inference.busy", dutyCycle, DutyCycle::busySeconds)
                .baseUnit("seconds").description("total time inside session.run").register(registry);
    }

    private static Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram().register(registry);
    }

    public void queueWait(double ms) {
        queueWait.record(nanos(ms));
    }

    public void preprocess(double ms) {
        preprocess.record(nanos(ms));
        recent.preprocessed(ms);
    }

    public void batch(int size, double inferenceMs) {
        batchSize.record(size);
        inference.record(nanos(inferenceMs));
        recent.batch(size, inferenceMs);
    }

    public void batchWait(double ms) {
        batchWait.record(nanos(ms));
    }

    public void expiredAtIntake() {
        expiredAtIntake.increment();
    }

    public void expiredAtBatch() {
        expiredAtBatch.increment();
    }

    public double expired() {
        return expiredAtIntake.count() + expiredAtBatch.count();
    }

    public void outcome(ErrorCode errorOrNull) {
        if (errorOrNull == null) {
            tagged.increment();
        } else {
            failed.get(errorOrNull).increment();
        }
    }

    /** A result of traffic class {@code cls} was stored; {@code previousDeliveries} of its job came before. */
    public void answered(TrafficClass cls, TagResult result, int previousDeliveries) {
        ErrorCode code = result.failed() ? result.error().code() : null;
        outcome(code);
        if (previousDeliveries > 0) {
            redelivered.increment();
        }
        recent.answered(cls, code, result.timings() == null ? -1 : result.timings().total());
    }

    public RecentActivity recent() {
        return recent;
    }

    public void duplicates(int n) {
        duplicates.increment(n);
    }

    public DutyCycle dutyCycle() {
        return dutyCycle;
    }

    private static Duration nanos(double ms) {
        return Duration.ofNanos((long) (ms * 1_000_000));
    }
}
