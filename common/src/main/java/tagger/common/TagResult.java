package tagger.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer for one image: either {@code tags} (sorted by score, descending) or an {@code error}.
 * This is both the JSON stored in Redis and the object callers receive.
 *
 * @param url         where the image came from, when it came from a URL
 * @param itemId      the client's id for bulk items
 * @param traceparent the W3C trace context the job carried (DESIGN.md: stored with the result), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagResult(
        String requestId,
        String url,
        String itemId,
        List<Tag> tags,
        ModelRef model,
        Timings timings,
        ItemError error,
        String traceparent) {

    /** A result without trace context. */
    public TagResult(String requestId, String url, String itemId, List<Tag> tags, ModelRef model, Timings timings,
            ItemError error) {
        this(requestId, url, itemId, tags, model, timings, error, null);
    }

    public static TagResult tags(JobMeta meta, List<Tag> tags, ModelRef model, Timings timings) {
        return new TagResult(meta.requestId(), meta.url(), meta.itemId(), List.copyOf(tags), model, timings, null,
                meta.traceparent());
    }

    public static TagResult error(JobMeta meta, ErrorCode code, String message, ModelRef model, Timings timings) {
        return new TagResult(meta.requestId(), meta.url(), meta.itemId(), null, model, timings,
                new ItemError(code, message), meta.traceparent());
    }

    /** An error the api-server produced before anything was published (bad URL, download failed...). */
    public static TagResult error(String requestId, String url, ErrorCode code, String message, Timings timings) {
        return new TagResult(requestId, url, null, null, null, timings, new ItemError(code, message));
    }

    public boolean failed() {
        return error != null;
    }

    public TagResult withTimings(Timings newTimings) {
        return new TagResult(requestId, url, itemId, tags, model, newTimings, error, traceparent);
    }
}
