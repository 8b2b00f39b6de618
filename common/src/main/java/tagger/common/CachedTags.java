package tagger.common;

import java.util.List;

/**
 * What the result cache stores for one image (by content hash) and model: the tags a worker
 * produced and the options that produced them, so that an api-server can tell whether they also
 * answer a request with other options (see {@code tagger.api.cache.CacheAnswer}).
 *
 * @param tags            best first, as the worker returned them
 * @param topK            the topK the worker applied (the request's, or the model's default)
 * @param minScore        the minScore the worker applied
 * @param defaultTopK     the model's default topK (what a request without topK gets)
 * @param defaultMinScore the model's default minScore
 * @param labelCount      how many labels the model has (the largest valid topK)
 * @param probabilities   scores are probabilities (softmax or sigmoid), so minScore must lie in [0, 1]
 */
public record CachedTags(List<Tag> tags, ModelRef model, int topK, double minScore, int defaultTopK,
        double defaultMinScore, int labelCount, boolean probabilities) {

    public CachedTags {
        tags = List.copyOf(tags);
    }
}
