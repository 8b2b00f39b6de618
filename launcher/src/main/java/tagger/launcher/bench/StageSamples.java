package tagger.launcher.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;
import tagger.common.Timings;

/**
 * The stage durations of many results' {@code timings}, the pipeline overhead derived from them, and
 * the round trip the client saw — collected per stage for percentiles.
 */
final class StageSamples {

    /** A reported stage: the result's own, the derived overhead, or the client's round trip. */
    enum Stage {
        DOWNLOAD("download", (t, client) -> t.download()),
        PUBLISH("publish", (t, client) -> t.publish()),
        QUEUE("queue", (t, client) -> t.queue()),
        PREPROCESS("preprocess", (t, client) -> t.preprocess()),
        BATCH_WAIT("batchWait", (t, client) -> t.batchWait()),
        INFERENCE("inference", (t, client) -> t.inference()),
        RESULT("result", (t, client) -> t.result()),
        TOTAL("total", (t, client) -> t.total()),
        OVERHEAD("overhead", (t, client) -> overhead(t)),
        CLIENT("client round trip", (t, client) -> client);

        final String label;
        private final ToDoubleBiFunction<Timings, Double> value;

        Stage(String label, ToDoubleBiFunction<Timings, Double> value) {
            this.label = label;
            this.value = value;
        }
    }

    private final Map<Stage, List<Double>> values = new EnumMap<>(Stage.class);

    StageSamples() {
        for (Stage s : Stage.values()) {
            values.put(s, new ArrayList<>());
        }
    }

    /**
     * What the pipeline adds to the work the request cannot avoid: total − download − preprocess −
     * inference (publish, queue, batch wait, result delivery and every hand-off between them).
     */
    static double overhead(Timings t) {
        return t.total() - t.download() - t.preprocess() - t.inference();
    }

    void add(Timings timings, double clientMs) {
        for (Stage s : Stage.values()) {
            values.get(s).add(s.value.applyAsDouble(timings, clientMs));
        }
    }

    int size() {
        return values.get(Stage.TOTAL).size();
    }

    Sample sample(Stage stage) {
        return Sample.of(values.get(stage));
    }
}
