package tagger.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.common.Json;
import tagger.loadtest.measure.Histograms;
import tagger.loadtest.measure.TestLevels;
import tagger.loadtest.measure.TimeSeries;
import tagger.loadtest.slo.Slo;
import tagger.loadtest.sweep.LevelOutcome;
import tagger.loadtest.sweep.RunResult;
import tagger.loadtest.sweep.Verdict;

class ReportsTest {

    private static RunResult run() {
        Slo slo = Slo.parse("p99<800ms");
        List<LevelOutcome> levels = List.of(
                new LevelOutcome(TestLevels.level(0, 50, TestLevels.spread(1000, 5, 300), 0), null, 1.25),
                new LevelOutcome(TestLevels.level(1, 100, TestLevels.spread(1000, 10, 600), 0), null, 0.7),
                new LevelOutcome(TestLevels.level(2, 200, TestLevels.spread(1000, 50, 3000), 30), null, null));
        levels = levels.stream().map(o -> new LevelOutcome(o.result(), slo.evaluate(o.result()), o.costPerMillionImages()))
                .toList();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("target", "http://127.0.0.1:8080");
        config.put("slo", List.of("p99<800ms"));
        List<TimeSeries.Point> series = List.of(new TimeSeries.Point(1, 0, "warmup", 50, 49, 0, 10, 80, 90),
                new TimeSeries.Point(2, 0, "measure", 50, 50, 0, 11, 90, 95),
                new TimeSeries.Point(3, 1, "measure", 100, 99, 1, 15, 400, 500));
        return new RunResult("sweep", "2026-11-22T00:00:00Z", 42, config, Map.of("cores", 2),
                new RunResult.ValidationSummary(3, List.of()), levels, new RunResult.Knee(100.0, "req/s", 1, "test knee"),
                series, null, Verdict.SLO_MISSED, 99, "SLO missed at level(s) [3]");
    }

    @Test
    void theCsvHasOneRowPerLevelWithPercentilesStagesAndVerdicts() {
        String[] lines = CsvReport.render(run()).split("\n");
        assertEquals(4, lines.length);
        List<String> header = List.of(lines[0].split(","));
        assertTrue(header.containsAll(List.of("p50_ms", "p99_ms", "p999_ms", "goodput_per_s", "error_share", "valid",
                "slo_passed", "cost_per_million_images", "stage_download_p50_ms", "stage_inference_p99_ms")), header.toString());
        List<String> last = List.of(lines[3].split(",", -1));
        assertEquals(header.size(), last.size());
        assertEquals("3", last.get(header.indexOf("level")));
        assertEquals("false", last.get(header.indexOf("slo_passed")));
        assertEquals("30", last.get(header.indexOf("status_5xx")));
        assertEquals("", last.get(header.indexOf("cost_per_million_images")));
        assertEquals("1.25", List.of(lines[1].split(",", -1)).get(header.indexOf("cost_per_million_images")));
    }

    @Test
    void theHtmlIsOneOfflineFileWithTheChartsAndTheKnee() {
        String html = HtmlReport.render(run());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("Latency percentiles vs throughput"));
        assertTrue(html.contains("Rate over time"));
        assertTrue(html.contains("Where the time goes (Server-Timing)"));
        assertTrue(html.contains("Latency by percentile"));
        assertTrue(html.contains(">knee "), "the knee is marked on the chart");
        assertTrue(html.contains("SLO p99&lt;800ms"), "the SLO line is drawn");
        assertTrue(html.split("<svg").length - 1 >= 5, "five charts");
        // nothing to fetch: no scripts, stylesheets, images or fonts from anywhere
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no linked stylesheets");
        assertFalse(html.contains("src="), "no external sources");
        assertFalse(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").contains("http://www.w3"), "no fetches");
        assertFalse(html.contains("https://"), "no CDN");
    }

    @Test
    void theJsonHoldsEverythingIncludingAMergeableHistogram(@TempDir Path dir) throws Exception {
        List<String> files = ReportFiles.write(run(), dir);
        assertEquals(3, files.size());
        JsonNode root = Json.MAPPER.readTree(Files.readString(dir.resolve(ReportFiles.JSON)));
        assertEquals("SLO_MISSED", root.path("verdict").asText());
        assertEquals(99, root.path("exitCode").asInt());
        JsonNode level = root.path("levels").get(2);
        assertTrue(level.path("result").path("latency").path("p99").asDouble() > 800);
        assertEquals(30, level.path("result").path("statuses").path("500").asLong());
        assertTrue(level.path("result").path("counts").has("errorShare"));
        assertTrue(level.path("result").path("stages").has("inference"));
        assertTrue(level.path("result").path("generator").has("scheduleLag"));
        assertTrue(level.path("result").path("selfCheck").path("valid").asBoolean());
        assertFalse(level.path("slo").path("passed").asBoolean());
        assertEquals(100.0, root.path("knee").path("value").asDouble());
        assertEquals(1000 + 30, Histograms.decode(level.path("result").path("latencyHdr").asText()).getTotalCount());
        assertEquals(3, root.path("series").size());
        assertTrue(Files.size(dir.resolve(ReportFiles.HTML)) > 10_000);
    }

    @Test
    void aRunReadBackFromItsJsonRendersTheSameReports(@TempDir Path dir) throws Exception {
        RunResult original = run();
        ReportFiles.write(original, dir);
        RunResult back = Json.MAPPER.readValue(dir.resolve(ReportFiles.JSON).toFile(), RunResult.class);
        assertEquals(CsvReport.render(original), CsvReport.render(back));
        assertEquals(HtmlReport.render(original), HtmlReport.render(back));
    }

    @Test
    void theConsoleSummaryEndsWithTheVerdictAndTheExitCode() {
        StringWriter text = new StringWriter();
        ConsoleReport.print(run(), List.of("out/report.json"), new PrintWriter(text));
        String out = text.toString();
        assertTrue(out.contains("knee: 100 req/s (level 2) — test knee"), out);
        assertTrue(out.contains("stages p50/p99 ms (Server-Timing): download"), out);
        assertTrue(out.contains("verdict: SLO_MISSED (exit 99): SLO missed at level(s) [3]"), out);
        assertTrue(out.contains("reports: out/report.json"), out);
    }
}
