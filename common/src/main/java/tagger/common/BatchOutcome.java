package tagger.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of a bulk batch's results: the client's item id and URL with either its {@code tags}
 * or an {@code error}. Each item of a batch has exactly one.
 *
 * @param model the model that tagged it (absent when the item failed before reaching a worker)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchOutcome(String id, String url, List<Tag> tags, ModelRef model, ItemError error) {

    /** The outcome carried by a worker's (or the download stage's) result for a bulk item. */
    public static BatchOutcome of(TagResult r) {
        return new BatchOutcome(r.itemId(), r.url(), r.tags(), r.model(), r.error());
    }

    public static BatchOutcome error(String id, String url, ErrorCode code, String message) {
        return new BatchOutcome(id, url, null, null, new ItemError(code, message));
    }

    public boolean failed() {
        return error != null;
    }
}
