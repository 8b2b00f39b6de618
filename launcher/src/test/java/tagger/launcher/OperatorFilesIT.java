package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.common.Json;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.OtlpReceiver;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;

/**
 * deploy/prometheus/alerts.yml and deploy/grafana/tagger-dashboard.json against a real Prometheus
 * (Debian's {@code prometheus}, a process of this test's own) scraping a running stack: promtool
 * accepts the rules, Prometheus evaluates each rule without error, every expression is valid
 * PromQL, every {@code tagger_*} series an expression names is one the product exports, and every
 * dashboard expression returns data. With tracing on, latency buckets carry trace ids as exemplars.
 */
class OperatorFilesIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path RULES = ROOT.resolve("deploy/prometheus/alerts.yml");
    private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/tagger-dashboard.json");
    private static final Pattern SELECTOR = Pattern.compile("\\b(tagger_[a-z0-9_]+)(\\{[^}]*\\})?");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void rulesAndDashboardQueryWhatTheProductExports(@TempDir Path tmp) throws Exception {
        String prometheus = binary("prometheus");
        String promtool = binary("promtool");
        Process check = new ProcessBuilder(promtool, "check", "rules", RULES.toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes());
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), "promtool check rules: " + checked);

        List<String> ruleExprs = new ArrayList<>();
        for (JsonNode group : new YAMLMapper().readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                ruleExprs.add(rule.path("expr").asText());
            }
        }
        List<String> panelExprs = new ArrayList<>();
        for (JsonNode panel : Json.MAPPER.readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                panelExprs.add(target.path("expr").asText());
            }
        }
        assertEquals(6, ruleExprs.size());
        assertTrue(panelExprs.size() >= 12, "dashboard expressions: " + panelExprs.size());

        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] photo = SampleImages.jpeg(SampleImages.photoLike(320, 240, 4), 0.9f);
        try (TestNamespace ns = TestNamespace.random();
                OtlpReceiver otlp = OtlpReceiver.start();
                ImageOrigin origin = ImageOrigin.start();
                LocalStack stack = LocalStack.start(new LocalStack.Plan(1, 1, model, 0, ns.names().namespace(),
                        TestStack.env(ns, Map.of("TAGGER_ALLOW_PRIVATE_NETWORKS", "true", "TAGGER_MAX_INFLIGHT", "1",
                                "TAGGER_MAX_URLS", "1", "TAGGER_TIMEOUT_MS", "60000", "TAGGER_MAX_TIMEOUT_MS", "60000",
                                "TAGGER_CACHE", "false", "OTEL_TRACES_EXPORTER", "otlp",
                                "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()))),
                        tmp.resolve("logs"), System.out)) {
            ChildProcess worker = stack.workers().get(0);
            String workerMetrics = worker.readyUrl().replace("/readyz", "/metrics");
            int port = LocalStack.freePort();
            Path config = tmp.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files: ["%s"]
                    scrape_configs:
                      - job_name: tagger-api
                        static_configs: [{targets: ["%s"]}]
                      - job_name: tagger-worker
                        static_configs: [{targets: ["%s"]}]
                    """.formatted(RULES, URI.create(stack.url()).getAuthority(), URI.create(workerMetrics).getAuthority()));
            Path promLog = tmp.resolve("prometheus.log");
            Process prom = new ProcessBuilder(prometheus, "--config.file=" + config,
                    "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--enable-feature=exemplar-storage").redirectErrorStream(true)
                    .redirectOutput(promLog.toFile()).start();
            String api = "http://127.0.0.1:" + port;
            try {
                TestStack.awaitTrue("Prometheus is ready", Duration.ofSeconds(60), () -> status(api + "/-/ready") == 200);

                // traffic: answers, one 429 (TAGGER_MAX_INFLIGHT=1 while a download is held)
                origin.put("/a.jpg", photo, "image/jpeg");
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, post(stack.url() + "/v1/tags", "{\"url\": \"" + origin.url("/a.jpg") + "\"}").join()
                            .statusCode());
                }
                CompletableFuture<HttpResponse<String>> held = post(stack.url() + "/v1/tags",
                        "{\"url\": \"" + origin.url("/held/a.jpg") + "\"}");
                TestStack.awaitTrue("the held download started", Duration.ofSeconds(30),
                        () -> origin.hits("/held/a.jpg") > 0);
                assertEquals(429, post(stack.url() + "/v1/tags", "{\"url\": \"" + origin.url("/a.jpg") + "\"}").join()
                        .statusCode());
                origin.release();
                assertEquals(200, held.get(60, TimeUnit.SECONDS).statusCode());

                // a few more scrapes after the traffic, so that rates over [1m] have two samples
                try {
                    TestStack.awaitTrue("both targets scraped with the traffic", Duration.ofSeconds(60), () ->
                            !query(api, "tagger_api_responses_total{status=\"429\"}").isEmpty()
                                    && !query(api, "tagger_worker_images_total{outcome=\"ok\"} > 0").isEmpty());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; targets: " + get(api + "/api/v1/targets")
                            + "; 429s: " + query(api, "tagger_api_responses_total") + "; worker: "
                            + query(api, "tagger_worker_images_total") + "; log: " + Files.readString(promLog), e);
                }
                Thread.sleep(4_000);

                Set<String> selectors = new LinkedHashSet<>();
                for (String expr : concat(ruleExprs, panelExprs)) {
                    query(api, expr); // valid PromQL, or query() fails
                    Matcher m = SELECTOR.matcher(expr);
                    while (m.find()) {
                        selectors.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
                    }
                }
                List<String> missing = new ArrayList<>();
                for (String selector : selectors) {
                    if (query(api, "count(" + selector + ")").isEmpty()) {
                        missing.add(selector);
                    }
                }
                assertEquals(List.of(), missing, "series the files name and the product does not export");
                for (String expr : panelExprs) {
                    assertFalse(query(api, expr).isEmpty(), "dashboard expression returns data: " + expr);
                }

                // Prometheus evaluated every rule without error
                TestStack.awaitTrue("every rule evaluated", Duration.ofSeconds(30), () -> rules(api).size() == 6
                        && rules(api).stream().allMatch(r -> !r.path("lastEvaluation").asText().startsWith("0001")));
                for (JsonNode rule : rules(api)) {
                    assertEquals("ok", rule.path("health").asText(), rule.toString());
                }

                // exemplars: latency buckets name traces (tracing is on in this stack)
                long now = System.currentTimeMillis() / 1000;
                JsonNode exemplars = get(api + "/api/v1/query_exemplars?query="
                        + enc("tagger_api_stage_seconds_bucket") + "&start=" + (now - 600) + "&end=" + (now + 60));
                assertTrue(exemplars.toString().contains("trace_id"), "exemplars with trace ids: " + exemplars);
                // the worker's too: per job (queue wait) and per batch (inference, its span linked to the jobs)
                for (String series : List.of("tagger_worker_queue_wait_seconds_bucket",
                        "tagger_worker_inference_seconds_bucket")) {
                    TestStack.awaitTrue("exemplars with trace ids on " + series, Duration.ofSeconds(20),
                            () -> get(api + "/api/v1/query_exemplars?query=" + enc(series) + "&start=" + (now - 600)
                                    + "&end=" + (System.currentTimeMillis() / 1000 + 60)).toString().contains("trace_id"));
                }
            } finally {
                prom.destroy();
                if (!prom.waitFor(20, TimeUnit.SECONDS)) {
                    prom.destroyForcibly();
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: apt-get install -y prometheus (./tagger test does)");
    }

    /** The result vector of an instant query; fails on an error (e.g. invalid PromQL). */
    private static List<JsonNode> query(String api, String expr) {
        JsonNode body = get(api + "/api/v1/query?query=" + enc(expr));
        assertEquals("success", body.path("status").asText(), expr + ": " + body);
        List<JsonNode> out = new ArrayList<>();
        JsonNode result = body.path("data").path("result");
        if (result.isArray()) {
            result.forEach(out::add);
        } else if (!result.isMissingNode()) {
            out.add(result);
        }
        return out;
    }

    private static List<JsonNode> rules(String api) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode g : get(api + "/api/v1/rules").path("data").path("groups")) {
            g.path("rules").forEach(out::add);
        }
        return out;
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(url, e);
        }
    }

    private static int status(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private static CompletableFuture<HttpResponse<String>> post(String url, String json) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
