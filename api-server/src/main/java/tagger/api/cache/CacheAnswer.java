package tagger.api.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tagger.common.CachedTags;
import tagger.common.Tag;

/**
 * Whether a cache entry answers a request with its own {@code topK} and {@code minScore}, and with
 * which tags. An entry holds the best {@code topK} labels with score ≥ {@code minScore}; that list
 * contains the answer to any request whose minScore is at least the entry's and which asks for no
 * more tags than the entry holds — or for any number, when the entry holds fewer than its topK (then
 * it lists every label above its minScore). Requests whose options the worker would refuse (topK
 * above the label count, minScore outside [0, 1] for probabilities) are not answered here, so that
 * the worker's error reaches the caller as before.
 */
final class CacheAnswer {
    private CacheAnswer() {
    }

    /** @param topK the request's, or null for the model's default; likewise {@code minScore} */
    static Optional<List<Tag>> answer(CachedTags entry, Integer topK, Double minScore) {
        int k = topK == null ? entry.defaultTopK() : topK;
        double min = minScore == null ? entry.defaultMinScore() : minScore;
        if (k < 1 || k > entry.labelCount() || !Double.isFinite(min)
                || (entry.probabilities() && (min < 0 || min > 1))) {
            return Optional.empty();
        }
        boolean exhaustive = entry.tags().size() < entry.topK();
        if (min < entry.minScore() || (k > entry.tags().size() && !exhaustive)) {
            return Optional.empty();
        }
        List<Tag> tags = new ArrayList<>(Math.min(k, entry.tags().size()));
        for (Tag t : entry.tags()) {
            if (tags.size() == k || t.score() < min) {
                break; // best first: nothing after a tag below min can pass
            }
            tags.add(t);
        }
        return Optional.of(tags);
    }
}
