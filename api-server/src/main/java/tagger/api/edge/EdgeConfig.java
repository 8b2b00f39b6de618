package tagger.api.edge;

import java.util.List;
import java.util.Locale;
import tagger.common.Settings;

/**
 * Edge preprocessing settings.
 *
 * @param at      {@code TAGGER_PREPROCESS_AT}: worker, api or auto
 * @param threads {@code TAGGER_EDGE_THREADS}: decode threads per publisher (default: the CPU count)
 * @param queue   {@code TAGGER_EDGE_QUEUE}: images waiting for a decode thread; past it originals are sent
 */
public record EdgeConfig(PreprocessAt at, int threads, int queue) {

    public static EdgeConfig read(Settings s) {
        int cpus = Runtime.getRuntime().availableProcessors();
        PreprocessAt at = PreprocessAt.valueOf(s.choice("TAGGER_PREPROCESS_AT", "auto", List.of("worker", "api", "auto"))
                .toUpperCase(Locale.ROOT));
        return new EdgeConfig(at, s.integer("TAGGER_EDGE_THREADS", cpus, 1, 1_024),
                s.integer("TAGGER_EDGE_QUEUE", 256, 1, 100_000));
    }
}
