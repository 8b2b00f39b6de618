package tagger.loadtest.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.Percentiles;
import tagger.loadtest.measure.ServerMetric;
import tagger.loadtest.slo.SloResult;
import tagger.loadtest.sweep.LevelOutcome;
import tagger.loadtest.sweep.RunResult;

/** The summary printed at the end of a run: a table of levels, then the knee, stages, generator, cost, SLO and verdict. */
public final class ConsoleReport {
    private static final String ROW = "%3s  %-16s %8s %8s %8s %8s %8s %8s %8s %8s %9s %7s %6s %6s  %-7s %s%n";

    private ConsoleReport() {
    }

    /** One line per finished level, printed while the run goes on. */
    public static String levelLine(LevelOutcome o) {
        LevelResult r = o.result();
        Percentiles l = r.latency();
        return String.format(Locale.ROOT, "%s/s sent, %s/s ok, goodput %s/s, %s images/s; p50 %s ms, p99 %s ms, max %s ms; errors %s; %s%s",
                Format.rate(r.throughput().sent()), Format.rate(r.throughput().succeeded()),
                Format.rate(r.throughput().goodput()), Format.rate(r.throughput().images()), Format.ms(l.p50()),
                Format.ms(l.p99()), Format.ms(l.max()), Format.percent(r.counts().errorShare()), r.selfCheck().valid() ? "valid" : "INVALID",
                o.slo().checks().isEmpty() ? "" : o.slo().passed() ? ", SLO met" : ", SLO MISSED")
                + (r.bulkBackground() == null ? "" : "; bulk " + Format.rate(r.bulkBackground().itemsPerSecond()) + " items/s");
    }

    public static void print(RunResult run, List<String> files, PrintWriter out) {
        out.println();
        out.println("tagger loadtest '" + run.name() + "' started " + run.startedAt() + " against " + run.config().get("target"));
        out.println("validation: " + (run.validation().problems().isEmpty() ? run.validation().requests() + " request(s) tagged"
                : String.join("; ", run.validation().problems())));
        if (!run.levels().isEmpty()) {
            out.println();
            out.println("latency in ms from the INTENDED send time (coordinated-omission corrected); 'p99 send' counts from the actual send");
            out.printf(Locale.ROOT, ROW, "#", "load", "sent/s", "ok/s", "goodput", "p50", "p90", "p99", "p99.9", "max",
                    "p99 send", "errors", "429", "5xx", "self", "SLO");
            for (LevelOutcome o : run.levels()) {
                LevelResult r = o.result();
                Percentiles l = r.latency();
                out.printf(Locale.ROOT, ROW, r.info().index() + 1, r.info().label(), Format.rate(r.throughput().sent()),
                        Format.rate(r.throughput().succeeded()), Format.rate(r.throughput().goodput()), Format.ms(l.p50()),
                        Format.ms(l.p90()), Format.ms(l.p99()), Format.ms(l.p999()), Format.ms(l.max()),
                        Format.ms(r.latencyFromSend().p99()), Format.percent(r.counts().errorShare()),
                        r.statuses().getOrDefault("429", 0L), Format.sum(r.statuses(), "5"),
                        r.selfCheck().valid() ? "valid" : "INVALID",
                        o.slo().checks().isEmpty() ? "-" : o.slo().passed() ? "met" : "MISSED");
            }
        }
        if (run.knee() != null) {
            out.println();
            out.println("knee: " + (run.knee().value() == null ? "none" : Format.num(run.knee().value()) + " " + run.knee().unit()
                    + (run.knee().level() == null ? "" : " (level " + (run.knee().level() + 1) + ")")) + " — " + run.knee().note());
        }
        LevelOutcome focus = focus(run);
        if (focus != null) {
            details(focus, out);
        }
        for (LevelOutcome o : run.levels()) {
            for (String p : o.result().selfCheck().problems()) {
                out.println("INVALID level " + (o.result().info().index() + 1) + ": " + p);
            }
        }
        out.println();
        out.println("verdict: " + run.verdict() + " (exit " + run.exitCode() + "): " + run.verdictReason());
        if (!files.isEmpty()) {
            out.println("reports: " + String.join(", ", files));
        }
        out.flush();
    }

    /** The level the details are about: the knee's, else the last one. */
    static LevelOutcome focus(RunResult run) {
        if (run.levels().isEmpty()) {
            return null;
        }
        if (run.knee() != null && run.knee().level() != null) {
            return run.levels().get(run.knee().level());
        }
        return run.levels().get(run.levels().size() - 1);
    }

    private static void details(LevelOutcome o, PrintWriter out) {
        LevelResult r = o.result();
        out.println();
        out.println("level " + (r.info().index() + 1) + " (" + r.info().model() + ") in detail:");
        out.println("  statuses:    " + Format.counts(r.statuses()));
        if (!r.itemErrors().isEmpty()) {
            out.println("  item errors: " + Format.counts(r.itemErrors()));
        }
        if (!r.stages().isEmpty()) {
            StringBuilder s = new StringBuilder("  stages p50/p99 ms (Server-Timing):");
            r.stages().forEach((name, p) -> s.append(' ').append(name).append(' ').append(Format.ms(p.p50())).append('/')
                    .append(Format.ms(p.p99())));
            out.println(s);
        }
        if (r.scenarios().size() > 1) {
            r.scenarios().forEach((name, s) -> out.printf(Locale.ROOT, "  scenario %-6s %s/s, errors %s, p50 %s ms, p99 %s ms%n",
                    name, Format.rate(s.perSecond()), Format.percent(s.errorShare()), Format.ms(s.latency().p50()),
                    Format.ms(s.latency().p99())));
        }
        if (r.bulkBackground() != null) {
            out.println("  bulk:        " + Format.bulkBackground(r.bulkBackground()));
        }
        if (!r.server().isEmpty()) {
            out.println("  server:      " + server(r.server()));
        }
        var g = r.generator();
        out.printf(Locale.ROOT, "  generator:   schedule lag p99 %s ms max %s ms, late %s, capped %d; CPU driver %.0f%%, "
                        + "generator %.2f cores, origin %.2f cores, process %.2f cores, machine %.0f%%; pauses max %s ms%n",
                Format.ms(g.scheduleLag().p99()), Format.ms(g.scheduleLag().max()), Format.percent(g.lateShare()), g.capped(),
                g.driverCpu() * 100, g.generatorCores(), g.originCores(), g.processCores(), g.systemLoad() * 100,
                Format.ms(g.hiccups().max()));
        for (String w : r.selfCheck().warnings()) {
            out.println("  note:        " + w);
        }
        if (o.costPerMillionImages() != null) {
            out.println("  cost:        " + Format.money(o.costPerMillionImages()) + " per million images at "
                    + Format.rate(r.throughput().goodputImages()) + " images/s goodput");
        }
        for (SloResult.Check c : o.slo().checks()) {
            out.println("  SLO:         " + c.message());
        }
    }

    /** The scraped metrics people ask about first, in words. */
    static String server(Map<String, ServerMetric> m) {
        StringBuilder s = new StringBuilder();
        ServerMetric busy = m.get("tagger_worker_inference_busy_seconds_total");
        if (busy != null) {
            s.append(String.format(Locale.ROOT, "inference busy %.2f (worker duty cycle, summed over workers); ",
                    busy.perSecond()));
        }
        ServerMetric downloads = m.get("tagger_download_active");
        if (downloads != null) {
            s.append(String.format(Locale.ROOT, "downloads in flight mean %.1f max %.0f; ", downloads.mean(), downloads.max()));
        }
        ServerMetric sum = m.get("tagger_worker_batch_size_sum");
        ServerMetric count = m.get("tagger_worker_batch_size_count");
        if (sum != null && count != null && count.perSecond() > 0) {
            s.append(String.format(Locale.ROOT, "mean batch %.2f; ", sum.perSecond() / count.perSecond()));
        }
        ServerMetric inflight = m.get("tagger_api_inflight");
        if (inflight != null) {
            s.append(String.format(Locale.ROOT, "api in flight mean %.1f max %.0f; ", inflight.mean(), inflight.max()));
        }
        return s.length() == 0 ? m.keySet().toString() : s.substring(0, s.length() - 2);
    }
}
