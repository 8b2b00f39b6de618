package tagger.api.http;

import java.util.List;
import java.util.Locale;
import tagger.common.TagResult;
import tagger.common.Timings;

/** Formats stage durations as a {@code Server-Timing} header (W3C Server Timing). */
final class ServerTiming {
    private ServerTiming() {
    }

    /**
     * The stages in order ({@code edge-preprocess} only when the api-server preprocessed the image),
     * then {@code cache;desc=hit} (or {@code miss}) when the result cache was asked.
     */
    static String of(Timings t) {
        String edge = t.edgePreprocess() > 0 ? String.format(Locale.ROOT, "edge-preprocess;dur=%.1f, ", t.edgePreprocess()) : "";
        String stages = edge + String.format(Locale.ROOT,
                "download;dur=%.1f, publish;dur=%.1f, queue;dur=%.1f, preprocess;dur=%.1f, batch-wait;dur=%.1f, "
                        + "inference;dur=%.1f, result;dur=%.1f, total;dur=%.1f",
                t.download(), t.publish(), t.queue(), t.preprocess(), t.batchWait(), t.inference(), t.result(),
                t.total());
        return t.cache() == null ? stages : stages + ", cache;desc=" + t.cache();
    }

    /** For a list: each stage's slowest item, and the request's total. */
    static String ofList(List<TagResult> results, double totalMs) {
        double download = 0, publish = 0, queue = 0, preprocess = 0, batchWait = 0, inference = 0, result = 0, edge = 0;
        int hits = 0;
        int asked = 0;
        for (TagResult r : results) {
            Timings t = r.timings();
            if (t == null) {
                continue;
            }
            if (t.cache() != null) {
                asked++;
                hits += Timings.CACHE_HIT.equals(t.cache()) ? 1 : 0;
            }
            download = Math.max(download, t.download());
            publish = Math.max(publish, t.publish());
            queue = Math.max(queue, t.queue());
            preprocess = Math.max(preprocess, t.preprocess());
            batchWait = Math.max(batchWait, t.batchWait());
            inference = Math.max(inference, t.inference());
            result = Math.max(result, t.result());
            edge = Math.max(edge, t.edgePreprocess());
        }
        String cache = asked == 0 ? null : hits == asked ? Timings.CACHE_HIT
                : hits == 0 ? Timings.CACHE_MISS : hits + "/" + asked + " hits";
        String header = of(Timings.builder().download(download).publish(publish).queue(queue).preprocess(preprocess)
                .batchWait(batchWait).inference(inference).result(result).total(totalMs).edgePreprocess(edge).build());
        // a desc with a space or slash must be quoted (RFC 9110 token rules)
        return cache == null ? header : header + ", cache;desc=" + (cache.contains(" ") ? "\"" + cache + "\"" : cache);
    }
}
