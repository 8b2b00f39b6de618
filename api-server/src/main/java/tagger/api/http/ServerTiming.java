package tagger.api.http;

import java.util.List;
import java.util.Locale;
import tagger.common.TagResult;
import tagger.common.Timings;

/** Formats stage durations as a {@code Server-Timing} header (W3C Server Timing). */
final class ServerTiming {
    private ServerTiming() {
    }

    /** The stages in order; {@code edge-preprocess} only when the api-server preprocessed the image. */
    static String of(Timings t) {
        String edge = t.edgePreprocess() > 0 ? String.format(Locale.ROOT, "edge-preprocess;dur=%.1f, ", t.edgePreprocess()) : "";
        return edge + String.format(Locale.ROOT,
                "download;dur=%.1f, publish;dur=%.1f, queue;dur=%.1f, preprocess;dur=%.1f, batch-wait;dur=%.1f, "
                        + "inference;dur=%.1f, result;dur=%.1f, total;dur=%.1f",
                t.download(), t.publish(), t.queue(), t.preprocess(), t.batchWait(), t.inference(), t.result(),
                t.total());
    }

    /** For a list: each stage's slowest item, and the request's total. */
    static String ofList(List<TagResult> results, double totalMs) {
        double download = 0, publish = 0, queue = 0, preprocess = 0, batchWait = 0, inference = 0, result = 0, edge = 0;
        for (TagResult r : results) {
            Timings t = r.timings();
            if (t == null) {
                continue;
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
        return of(new Timings(download, publish, queue, preprocess, batchWait, inference, result, totalMs, 0, edge));
    }
}
