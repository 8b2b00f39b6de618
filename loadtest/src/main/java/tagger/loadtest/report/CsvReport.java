package tagger.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.Percentiles;
import tagger.loadtest.sweep.LevelOutcome;
import tagger.loadtest.sweep.RunResult;

/**
 * One row per level (perf_analyzer's latency-vs-throughput table), ready for a spreadsheet: load,
 * rates, latency percentiles (intended and actual send), errors, stage p50/p99, validity, SLO, cost, and
 * the bulk batches beside each level when there were any.
 */
public final class CsvReport {
    static final List<String> FIXED_COLUMNS = List.of("level", "load", "target_per_s", "offered_per_s", "concurrency", "window_s",
            "sent", "completed", "succeeded", "error_share", "sent_per_s", "completed_per_s", "ok_per_s", "goodput_per_s",
            "images_per_s", "goodput_images_per_s", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "p999_ms", "max_ms",
            "send_p50_ms", "send_p99_ms", "status_2xx", "status_429", "status_5xx", "transport_errors", "item_errors",
            "late_share", "capped", "valid", "slo_passed", "cost_per_million_images");

    /** Present when bulk batches ran beside the levels ({@code --bulk-background}). */
    static final List<String> BULK_COLUMNS = List.of("bulk_items_per_s", "bulk_items_finished", "bulk_batches_completed",
            "bulk_batches_succeeded", "bulk_completion_p50_ms", "bulk_completion_p99_ms", "bulk_cancelled_at_end");

    private CsvReport() {
    }

    public static void write(RunResult run, Path file) throws IOException {
        Files.writeString(file, render(run), StandardCharsets.UTF_8);
    }

    static String render(RunResult run) {
        Set<String> stages = new TreeSet<>();
        run.levels().forEach(o -> stages.addAll(o.result().stages().keySet()));
        boolean bulk = run.levels().stream().anyMatch(o -> o.result().bulkBackground() != null);
        List<String> header = new ArrayList<>(FIXED_COLUMNS);
        if (bulk) {
            header.addAll(BULK_COLUMNS);
        }
        for (String s : stages) {
            header.add("stage_" + s + "_p50_ms");
            header.add("stage_" + s + "_p99_ms");
        }
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (LevelOutcome o : run.levels()) {
            LevelResult r = o.result();
            Percentiles l = r.latency();
            List<String> row = new ArrayList<>(List.of(
                    Integer.toString(r.info().index() + 1), quote(r.info().model()),
                    r.info().targetRate() == null ? "" : Format.num(r.info().targetRate()),
                    r.info().offeredRate() == null ? "" : Format.num(r.info().offeredRate()),
                    r.info().concurrency() == null ? "" : Integer.toString(r.info().concurrency()),
                    Format.num(r.info().windowSeconds()), Long.toString(r.counts().sent()),
                    Long.toString(r.counts().completed()), Long.toString(r.counts().succeeded()),
                    Format.num(r.counts().errorShare()), Format.num(r.throughput().sent()),
                    Format.num(r.throughput().completed()), Format.num(r.throughput().succeeded()),
                    Format.num(r.throughput().goodput()), Format.num(r.throughput().images()),
                    Format.num(r.throughput().goodputImages()), Format.num(l.p50()), Format.num(l.p90()),
                    Format.num(l.p95()), Format.num(l.p99()), Format.num(l.p999()), Format.num(l.max()),
                    Format.num(r.latencyFromSend().p50()), Format.num(r.latencyFromSend().p99()),
                    Long.toString(Format.sum(r.statuses(), "2")), Long.toString(r.statuses().getOrDefault("429", 0L)),
                    Long.toString(Format.sum(r.statuses(), "5")), Long.toString(Format.sum(r.statuses(), "transport:")),
                    Long.toString(r.itemErrors().values().stream().mapToLong(Long::longValue).sum()),
                    Format.num(r.generator().lateShare()), Long.toString(r.generator().capped()),
                    Boolean.toString(r.selfCheck().valid()),
                    o.slo().checks().isEmpty() ? "" : Boolean.toString(o.slo().passed()),
                    o.costPerMillionImages() == null ? "" : Format.num(o.costPerMillionImages())));
            if (bulk) {
                var b = r.bulkBackground();
                row.addAll(b == null ? java.util.Collections.nCopies(BULK_COLUMNS.size(), "") : List.of(
                        Format.num(b.itemsPerSecond()), Long.toString(b.itemsFinished()), Long.toString(b.batchesCompleted()),
                        Long.toString(b.batchesSucceeded()), Format.num(b.completion().p50()),
                        Format.num(b.completion().p99()), Integer.toString(b.cancelledAtEnd())));
            }
            for (String s : stages) {
                Percentiles p = r.stages().get(s);
                row.add(p == null ? "" : Format.num(p.p50()));
                row.add(p == null ? "" : Format.num(p.p99()));
            }
            csv.append(String.join(",", row)).append('\n');
        }
        return csv.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
