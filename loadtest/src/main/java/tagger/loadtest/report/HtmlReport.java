package tagger.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tagger.common.Json;
import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.measure.Percentiles;
import tagger.loadtest.measure.TimeSeries;
import tagger.loadtest.sweep.LevelOutcome;
import tagger.loadtest.sweep.RunResult;

/**
 * One self-contained HTML file: inline CSS and inline SVG charts, nothing fetched, so it opens
 * offline and can be attached to a ticket. Charts: latency percentiles against throughput with the
 * knee marked, rate and latency over time, stage breakdown per level, percentile spectra.
 */
public final class HtmlReport {
    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}"
            + "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 7px;"
            + "font-size:13px;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}"
            + ".ok{color:#1a7f37;font-weight:bold}.bad{color:#cf222e;font-weight:bold}.note{color:#555;font-size:13px}"
            + "pre{background:#f6f8fa;padding:8px;font-size:12px;overflow:auto}h2{margin-top:32px}";

    private HtmlReport() {
    }

    public static void write(RunResult run, Path file) throws IOException {
        Files.writeString(file, render(run), StandardCharsets.UTF_8);
    }

    static String render(RunResult run) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.append("<title>").append(esc("tagger loadtest " + run.name())).append("</title><style>").append(CSS)
                .append("</style></head><body>\n");
        boolean passed = run.exitCode() == 0;
        h.append("<h1>tagger loadtest: ").append(esc(run.name())).append("</h1>\n");
        h.append("<p><span class=\"").append(passed ? "ok" : "bad").append("\">").append(run.verdict()).append(" (exit ")
                .append(run.exitCode()).append(")</span> ").append(esc(run.verdictReason())).append("</p>\n");
        h.append("<p class=\"note\">started ").append(esc(run.startedAt())).append(", ")
                .append(String.format(Locale.ROOT, "%.0f", run.wallSeconds())).append(" s; target ")
                .append(esc(String.valueOf(run.config().get("target")))).append("; ")
                .append(esc(run.environment().toString())).append("</p>\n");
        h.append("<p class=\"note\">Latency is measured from each request's <b>intended</b> send time (coordinated-omission "
                + "corrected, like wrk2); the 'from send' columns count from the actual send. Warm-ups are excluded.</p>\n");
        if (!run.validation().problems().isEmpty()) {
            h.append("<h2>Validation failed</h2><ul>");
            run.validation().problems().forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
            h.append("</ul>\n");
        }
        if (!run.levels().isEmpty()) {
            levelTable(run, h);
            h.append("<h2>Latency against throughput</h2>\n").append(kneeChart(run));
            h.append("<h2>Over time</h2>\n").append(rateChart(run.series())).append(latencyOverTime(run.series()));
            stages(run, h);
            h.append("<h2>Percentile spectrum</h2>\n").append(spectrum(run));
            breakdowns(run, h);
        }
        h.append("<h2>Settings</h2><pre>").append(esc(pretty(run.config()))).append("</pre>\n");
        if (run.origin() != null) {
            h.append("<p class=\"note\">origin served ").append(esc(run.origin().served().toString())).append(", ")
                    .append(run.origin().bytes() >> 20).append(" MiB, at most ").append(run.origin().maxOpen())
                    .append(" responses open at once</p>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void levelTable(RunResult run, StringBuilder h) {
        h.append("<h2>Levels</h2>\n<table><tr><th>#</th><th class=\"l\">load</th><th>sent/s</th><th>ok/s</th>"
                + "<th>goodput/s</th><th>images/s</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>"
                + "<th>p99 from send</th><th>errors</th><th>429</th><th>5xx</th><th>late</th><th>generator</th>"
                + "<th>SLO</th><th>$/M images</th>");
        boolean bulk = run.levels().stream().anyMatch(o -> o.result().bulkBackground() != null);
        h.append(bulk ? "<th>bulk items/s beside</th><th>bulk batch p50</th></tr>\n" : "</tr>\n");
        for (LevelOutcome o : run.levels()) {
            LevelResult r = o.result();
            Percentiles l = r.latency();
            boolean knee = run.knee() != null && run.knee().level() != null && run.knee().level() == r.info().index();
            h.append("<tr").append(knee ? " style=\"background:#fff8c5\"" : "").append("><td>").append(r.info().index() + 1)
                    .append("</td><td class=\"l\">").append(esc(r.info().model())).append(knee ? " (knee)" : "")
                    .append("</td>");
            for (String v : List.of(Format.rate(r.throughput().sent()), Format.rate(r.throughput().succeeded()),
                    Format.rate(r.throughput().goodput()), Format.rate(r.throughput().images()), Format.ms(l.p50()),
                    Format.ms(l.p90()), Format.ms(l.p99()), Format.ms(l.p999()), Format.ms(l.max()),
                    Format.ms(r.latencyFromSend().p99()), Format.percent(r.counts().errorShare()),
                    Long.toString(r.statuses().getOrDefault("429", 0L)), Long.toString(Format.sum(r.statuses(), "5")),
                    Format.percent(r.generator().lateShare()))) {
                h.append("<td>").append(v).append("</td>");
            }
            h.append("<td class=\"").append(r.selfCheck().valid() ? "ok\">valid" : "bad\">INVALID").append("</td>");
            h.append("<td class=\"").append(o.slo().passed() ? "ok" : "bad").append("\">")
                    .append(o.slo().checks().isEmpty() ? "-" : o.slo().passed() ? "met" : "MISSED").append("</td>");
            h.append("<td>").append(o.costPerMillionImages() == null ? "-" : Format.money(o.costPerMillionImages()))
                    .append("</td>");
            if (bulk) {
                var b = r.bulkBackground();
                h.append("<td>").append(b == null ? "-" : Format.rate(b.itemsPerSecond())).append("</td><td>")
                        .append(b == null ? "-" : Format.ms(b.completion().p50())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p class=\"note\">latencies in ms").append(bulk ? "; the level's columns are the "
                + "real-time requests', the bulk columns the batches kept running beside them" : "").append(". ")
                .append(run.knee() == null ? ""
                : esc("Knee: " + (run.knee().value() == null ? "none" : Format.num(run.knee().value()) + " "
                + run.knee().unit()) + " — " + run.knee().note())).append("</p>\n");
    }

    private static String kneeChart(RunResult run) {
        SvgChart chart = new SvgChart("Latency percentiles vs throughput (levels in order of offered load)",
                "successful answers per second", "latency (ms, from intended send)").logY();
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        for (String p : List.of("p50", "p90", "p99", "p99.9")) {
            lines.put(p, new ArrayList<>());
        }
        // joined in order of offered load, so an overloaded server's throughput visibly bends back
        for (LevelOutcome o : byLoad(run.levels())) {
            LevelResult r = o.result();
            double x = r.throughput().succeeded();
            lines.get("p50").add(new double[] {x, r.latency().p50()});
            lines.get("p90").add(new double[] {x, r.latency().p90()});
            lines.get("p99").add(new double[] {x, r.latency().p99()});
            lines.get("p99.9").add(new double[] {x, r.latency().p999()});
        }
        lines.forEach(chart::series);
        if (run.knee() != null && run.knee().level() != null) {
            LevelResult k = run.levels().get(run.knee().level()).result();
            chart.vertical(k.throughput().succeeded(), "knee " + Format.rate(k.throughput().succeeded()) + "/s");
        }
        @SuppressWarnings("unchecked")
        List<String> slo = (List<String>) run.config().getOrDefault("slo", List.of());
        for (String term : slo) {
            var m = java.util.regex.Pattern.compile("(p[\\d.]+|max)\\s*<=?\\s*(\\S+)").matcher(term.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                chart.horizontal(tagger.loadtest.DurationText.parse(m.group(2)).toNanos() / 1e6, "SLO " + term);
            }
        }
        return chart.render();
    }

    private static String rateChart(List<TimeSeries.Point> points) {
        SvgChart chart = new SvgChart("Rate over time (shaded: warm-up)", "seconds since start", "per second");
        chart.series("sent/s", points.stream().map(p -> new double[] {p.t(), p.sentPerSec()}).toList());
        chart.series("answers/s", points.stream().map(p -> new double[] {p.t(), p.completedPerSec()}).toList());
        chart.series("errors/s", points.stream().map(p -> new double[] {p.t(), p.errorsPerSec()}).toList());
        warmups(points, chart);
        return chart.render();
    }

    private static String latencyOverTime(List<TimeSeries.Point> points) {
        SvgChart chart = new SvgChart("Latency of the answers in each second", "seconds since start", "ms").logY();
        chart.series("p50", points.stream().filter(p -> p.completedPerSec() > 0).map(p -> new double[] {p.t(), p.p50()}).toList());
        chart.series("p99", points.stream().filter(p -> p.completedPerSec() > 0).map(p -> new double[] {p.t(), p.p99()}).toList());
        chart.series("max", points.stream().filter(p -> p.completedPerSec() > 0).map(p -> new double[] {p.t(), p.max()}).toList());
        warmups(points, chart);
        return chart.render();
    }

    private static void warmups(List<TimeSeries.Point> points, SvgChart chart) {
        double from = Double.NaN;
        double previous = 0;
        for (TimeSeries.Point p : points) {
            boolean warm = p.phase().equals("warmup");
            if (warm && Double.isNaN(from)) {
                from = previous;
            } else if (!warm && !Double.isNaN(from)) {
                chart.band(from, previous);
                from = Double.NaN;
            }
            previous = p.t();
        }
    }

    private static void stages(RunResult run, StringBuilder h) {
        if (run.levels().stream().allMatch(o -> o.result().stages().isEmpty())) {
            return;
        }
        SvgStackedBars bars = new SvgStackedBars("Server-Timing stages, p50 per level", "ms");
        for (LevelOutcome o : byLoad(run.levels())) {
            Map<String, Double> segments = new LinkedHashMap<>();
            o.result().stages().forEach((name, p) -> {
                if (!name.equals("total")) {
                    segments.put(name, p.p50());
                }
            });
            bars.bar((o.result().info().index() + 1) + ": " + o.result().info().label(), segments);
        }
        h.append("<h2>Where the time goes (Server-Timing)</h2>\n").append(bars.render());
        LevelOutcome focus = ConsoleReport.focus(run);
        h.append("<table><tr><th class=\"l\">stage (level ").append(focus.result().info().index() + 1)
                .append(")</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>\n");
        focus.result().stages().forEach((name, p) -> h.append("<tr><td class=\"l\">").append(esc(name)).append("</td><td>")
                .append(Format.ms(p.p50())).append("</td><td>").append(Format.ms(p.p90())).append("</td><td>")
                .append(Format.ms(p.p99())).append("</td><td>").append(Format.ms(p.max())).append("</td></tr>\n"));
        h.append("</table>\n");
    }

    private static String spectrum(RunResult run) {
        // x = number of nines: 90% -> 1, 99% -> 2, 99.9% -> 3
        SvgChart chart = new SvgChart("Latency by percentile", "percentile", "ms").logY()
                .xTicks(List.of(0.0, 0.30103, 1.0, 2.0, 3.0, 4.0), x -> x == 0 ? "0%" : x < 0.5 ? "50%"
                        : Format.num(100 - 100 / Math.pow(10, x)) + "%");
        for (LevelOutcome o : run.levels()) {
            List<double[]> pts = new ArrayList<>();
            for (Percentiles.Point p : o.result().latency().spectrum()) {
                if (p.percentile() < 100) {
                    pts.add(new double[] {-Math.log10(1 - p.percentile() / 100), p.millis()});
                }
            }
            chart.series((o.result().info().index() + 1) + ": " + o.result().info().label(), pts);
        }
        return chart.render();
    }

    private static void breakdowns(RunResult run, StringBuilder h) {
        h.append("<h2>Answers, errors and the generator, per level</h2>\n<table><tr><th>#</th><th class=\"l\">statuses</th>"
                + "<th class=\"l\">item errors</th><th class=\"l\">server</th><th class=\"l\">generator</th></tr>\n");
        for (LevelOutcome o : run.levels()) {
            LevelResult r = o.result();
            var g = r.generator();
            String gen = String.format(Locale.ROOT, "lag p99 %s ms, late %s, capped %d, driver CPU %.0f%%, %.2f cores "
                            + "(origin %.2f), machine %.0f%%, pauses max %s ms", Format.ms(g.scheduleLag().p99()),
                    Format.percent(g.lateShare()), g.capped(), g.driverCpu() * 100, g.generatorCores(), g.originCores(),
                    g.systemLoad() * 100, Format.ms(g.hiccups().max()));
            List<String> notes = new ArrayList<>(r.selfCheck().problems());
            if (r.bulkBackground() != null) {
                notes.add("bulk: " + Format.bulkBackground(r.bulkBackground()));
            }
            notes.addAll(r.selfCheck().warnings());
            o.slo().checks().forEach(c -> notes.add(c.message()));
            h.append("<tr><td>").append(r.info().index() + 1).append("</td><td class=\"l\">").append(esc(Format.counts(r.statuses())))
                    .append("</td><td class=\"l\">").append(esc(Format.counts(r.itemErrors()))).append("</td><td class=\"l\">")
                    .append(esc(r.server().isEmpty() ? "-" : ConsoleReport.server(r.server()))).append("</td><td class=\"l\">")
                    .append(esc(gen)).append(notes.isEmpty() ? "" : "<br><span class=\"note\">" + esc(String.join(" · ", notes))
                            + "</span>").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** Levels in order of offered load (a knee search runs them out of order). */
    static List<LevelOutcome> byLoad(List<LevelOutcome> levels) {
        return levels.stream().sorted(java.util.Comparator.comparingDouble(o -> {
            var info = o.result().info();
            return info.concurrency() != null ? info.concurrency() : info.targetRate() != null ? info.targetRate() : 0;
        })).toList();
    }

    private static String pretty(Object o) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(o);
        }
    }

    private static String esc(String s) {
        return SvgChart.esc(s);
    }
}
