package tagger.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tagger.common.Json;

/**
 * {@code loadtest run} against the real stack (api-server + worker with the demo model, RabbitMQ,
 * Redis) in this JVM: short, bounded runs on 127.0.0.1. The self-check is loosened (late = 2 s, the
 * stall of a generator that stopped, not of a busy machine) because the build machine is shared and
 * the stack runs in the generator's own process: these tests are about the outputs and exit codes,
 * not speed.
 */
class LoadtestIT {
    @TempDir
    static Path tmp;
    static InProcessStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = InProcessStack.start(tmp);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Runs the command line in this JVM; returns the exit code, output in {@code out}. */
    private static int loadtest(StringWriter out, String... args) {
        CommandLine cli = LoadtestMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private static List<String> args(Path dir, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--target", stack.url(), "--image", "320x240.jpg",
                "--warmup", "1s", "--duration", "3s", "--cooldown", "0s", "--validate", "1", "--timeout", "10s",
                "--late-threshold", "2s", "--max-late", "5%", "--out", dir.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void aShortMixedRunWritesJsonCsvAndHtmlWithTheExpectedFields() throws Exception {
        Path dir = tmp.resolve("mixed");
        StringWriter out = new StringWriter();
        int code = loadtest(out, args(dir, "--rate", "12", "--scenario", "url=2,bytes=1,multi=1",
                "--urls-per-request", "2", "--slo", "p99<5s,errors<50%", "--worker-cost", "0.5",
                "--scrape", stack.url() + "/metrics", "--scrape", stack.workerMetrics()).toArray(String[]::new));
        assertEquals(0, code, out.toString());

        JsonNode root = Json.MAPPER.readTree(Files.readString(dir.resolve("report.json")));
        assertEquals("PASSED", root.path("verdict").asText());
        JsonNode level = root.path("levels").get(0).path("result");
        assertTrue(level.path("counts").path("succeeded").asLong() > 10, level.path("counts").toString());
        assertTrue(level.path("latency").path("p99").asDouble() > 0);
        assertTrue(level.path("latencyFromSend").path("p50").asDouble() > 0);
        for (String stage : List.of("download", "queue", "preprocess", "inference", "total")) {
            assertTrue(level.path("stages").has(stage), "stage " + stage + " in " + level.path("stages").fieldNames());
        }
        for (String scenario : List.of("url", "bytes", "multi")) {
            assertTrue(level.path("scenarios").path(scenario).path("completed").asLong() > 0, "scenario " + scenario);
        }
        assertTrue(level.path("server").has("tagger_worker_inference_busy_seconds_total"), level.path("server").toString());
        assertTrue(level.path("generator").has("scheduleLag"));
        assertTrue(root.path("levels").get(0).path("costPerMillionImages").asDouble() > 0);
        assertTrue(root.path("series").size() >= 3, "one point per second");
        assertFalse(level.path("latencyHdr").asText().isEmpty());

        List<String> csv = Files.readAllLines(dir.resolve("levels.csv"));
        assertEquals(2, csv.size(), "header and one level");
        assertTrue(csv.get(0).contains("stage_inference_p99_ms"), csv.get(0));
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("Where the time goes"));
        assertFalse(html.contains("<script"));
        assertTrue(out.toString().contains("verdict: PASSED (exit 0)"), out.toString());
    }

    @Test
    void theBulkScenarioTimesWholeBatchesAndChecksEveryItemCameBackOnce() throws Exception {
        Path dir = tmp.resolve("bulk");
        StringWriter out = new StringWriter();
        int code = loadtest(out, args(dir, "--scenario", "bulk", "--concurrency", "1", "--batch-size", "15",
                "--poll-interval", "50ms", "--origin-faults", "404=20%").toArray(String[]::new));
        assertEquals(0, code, out.toString());

        JsonNode level = Json.MAPPER.readTree(Files.readString(dir.resolve("report.json"))).path("levels").get(0).path("result");
        JsonNode bulk = level.path("scenarios").path("bulk");
        long batches = bulk.path("completed").asLong();
        assertTrue(batches >= 1, level.toString());
        assertEquals(batches * 15, bulk.path("images").asLong(), "every batch has 15 items");
        long missingTags = bulk.path("images").asLong() - bulk.path("imagesTagged").asLong();
        // the origin answers 404 for about a fifth of the URLs: those items fail alone, each exactly once
        assertTrue(missingTags > 0, level.toString());
        assertEquals(missingTags, level.path("itemErrors").path("origin_status").asLong(), level.path("itemErrors").toString());
        for (String broken : List.of("loadtest:duplicate", "loadtest:missing", "loadtest:unknown-id")) {
            assertFalse(level.path("itemErrors").has(broken), level.path("itemErrors").toString());
        }
        assertTrue(level.path("latency").path("p50").asDouble() > 0, "a batch's completion time");
        assertTrue(level.path("bulkBackground").isMissingNode() || level.path("bulkBackground").isNull(),
                "no batches beside a bulk level");
    }

    @Test
    void theMixedScenarioReportsBulkBesideRealTimeApart() throws Exception {
        Path dir = tmp.resolve("beside");
        StringWriter out = new StringWriter();
        int code = loadtest(out, args(dir, "--rate", "8", "--bulk-background", "2", "--batch-size", "20",
                "--poll-interval", "50ms", "--slo", "errors<50%").toArray(String[]::new));
        assertEquals(0, code, out.toString());

        JsonNode level = Json.MAPPER.readTree(Files.readString(dir.resolve("report.json"))).path("levels").get(0).path("result");
        assertEquals(List.of("url"), iterable(level.path("scenarios").fieldNames()), "the level's numbers are real-time only");
        assertTrue(level.path("latency").path("p99").asDouble() < 10_000, level.path("latency").toString());
        JsonNode bulk = level.path("bulkBackground");
        assertEquals(2, bulk.path("batches").asInt());
        assertTrue(bulk.path("itemsFinished").asLong() > 0, bulk.toString());
        assertTrue(bulk.path("itemsPerSecond").asDouble() > 0, bulk.toString());
        assertTrue(bulk.path("batchesCompleted").asLong() >= 1, bulk.toString());

        List<String> csv = Files.readAllLines(dir.resolve("levels.csv"));
        assertTrue(csv.get(0).contains("bulk_items_per_s"), csv.get(0));
        assertTrue(out.toString().contains("bulk:        2 batches of 20 beside it"), out.toString());
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("bulk: 2 batches of 20 beside it") && html.contains("<th>bulk items/s beside</th>"));
    }

    @Test
    void aRefusedBatchSubmissionFailsValidationNamingTheStatus() throws Exception {
        // the worker's admin server is a real HTTP server without the bulk API: every submission is refused
        Path dir = tmp.resolve("refused");
        StringWriter out = new StringWriter();
        List<String> a = args(dir, "--scenario", "bulk", "--concurrency", "1", "--batch-size", "5");
        a.set(a.indexOf("--target") + 1, "http://127.0.0.1:" + stack.worker.adminPort());
        int code = loadtest(out, a.toArray(String[]::new));
        assertEquals(3, code, out.toString());
        assertTrue(out.toString().contains("validation request 1 of 1 (bulk) failed: HTTP 404"), out.toString());
    }

    @Test
    void aBatchNotCompleteWithinTheBatchTimeoutIsCancelledAndCountedAsATimeout() throws Exception {
        Path dir = tmp.resolve("batch-timeout");
        StringWriter out = new StringWriter();
        int code = loadtest(out, args(dir, "--scenario", "bulk", "--concurrency", "1", "--batch-size", "50",
                "--batch-timeout", "1ms", "--poll-interval", "10ms").toArray(String[]::new));
        assertEquals(3, code, out.toString());
        assertTrue(out.toString().contains("(bulk) got no answer (timeout: batch b-"), out.toString());
        assertTrue(out.toString().contains("not complete after --batch-timeout"), out.toString());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> all = new ArrayList<>();
        it.forEachRemaining(all::add);
        return all;
    }

    @Test
    void aRunAgainstAnOriginAnswering500sFailsItsSloWithExitCode99() throws Exception {
        Path dir = tmp.resolve("faulty");
        StringWriter out = new StringWriter();
        int code = loadtest(out, args(dir, "--rate", "10", "--origin-faults", "500=50%", "--slo", "errors<1%")
                .toArray(String[]::new));
        assertEquals(99, code, out.toString());

        JsonNode root = Json.MAPPER.readTree(Files.readString(dir.resolve("report.json")));
        assertEquals("SLO_MISSED", root.path("verdict").asText());
        JsonNode level = root.path("levels").get(0);
        assertTrue(level.path("result").path("itemErrors").path("origin_status").asLong() > 0,
                level.path("result").path("itemErrors").toString());
        assertTrue(level.path("result").path("statuses").path("422").asLong() > 0);
        assertTrue(level.path("slo").path("checks").get(0).path("message").asText()
                .matches("errors was \\d+\\.\\d\\d%, objective errors<1%: MISSED"), level.path("slo").toString());
        assertTrue(out.toString().contains("verdict: SLO_MISSED (exit 99)"), out.toString());
    }

    @Test
    void aTargetThatDoesNotAnswerFailsValidationWithExitCode3BeforeAnyLoad() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path dir = tmp.resolve("nothing");
        StringWriter out = new StringWriter();
        List<String> a = args(dir, "--rate", "10");
        a.set(a.indexOf("--target") + 1, "http://127.0.0.1:" + closedPort);
        int code = loadtest(out, a.toArray(String[]::new));
        assertEquals(3, code, out.toString());
        assertTrue(out.toString().contains("validation request 1 of 1 (url) got no answer (connect"), out.toString());
        assertTrue(out.toString().contains("is the api-server running at that address?"), out.toString());
        JsonNode root = Json.MAPPER.readTree(Files.readString(dir.resolve("report.json")));
        assertEquals(0, root.path("levels").size());
    }
}
