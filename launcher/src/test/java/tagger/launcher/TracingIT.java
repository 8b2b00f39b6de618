package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.OtlpReceiver;
import tagger.fixtures.OtlpReceiver.Span;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;

/**
 * Tracing through the real stack: an api-server and a worker as child processes, real RabbitMQ and
 * Redis, exporting over OTLP/HTTP to a receiver in this test. One request is one trace with spans from
 * both processes; a batch's inference span links to every request in it; a caller's context is
 * continued; a bulk item whose origin answers 429 then 200 shows both attempts and the wait; with
 * tracing off nothing is exported and no exporter thread exists.
 */
class TracingIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final int CONCURRENT = 4;

    @Test
    void oneRequestIsOneTraceAcrossProcessesAndABatchLinksEveryRequest(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] photo = SampleImages.jpeg(SampleImages.photoLike(320, 240, 1), 0.9f);
        try (TestNamespace ns = TestNamespace.random();
                OtlpReceiver otlp = OtlpReceiver.start();
                ImageOrigin origin = ImageOrigin.start();
                LocalStack stack = LocalStack.start(new LocalStack.Plan(1, 1, model, 0, ns.names().namespace(),
                        TestStack.env(ns, tracingOn(otlp, Map.of(
                                // a long batch window so that concurrent requests share one inference
                                "TAGGER_MAX_BATCH", "4", "TAGGER_MAX_BATCH_WAIT_MS", "3000", "TAGGER_TIMEOUT_MS", "60000",
                                "TAGGER_MAX_TIMEOUT_MS", "60000")))),
                        tmp.resolve("logs"), System.out)) {
            origin.put("/a.jpg", photo, "image/jpeg");

            // 1. a caller's context is continued, and the answer names the trace
            HttpResponse<String> answer = post(stack.url() + "/v1/tags", "{\"url\": \"" + origin.url("/a.jpg") + "\"}",
                    "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
            assertEquals(200, answer.statusCode(), answer.body());
            String traceresponse = answer.headers().firstValue("traceresponse").orElse(null);
            assertNotNull(traceresponse, "traceresponse header");
            assertTrue(traceresponse.startsWith("00-" + CALLER_TRACE + "-"), traceresponse);

            List<Span> trace = awaitSpans(otlp, CALLER_TRACE, "result write", "POST /v1/tags", "result wait");
            Span server = one(trace, "POST /v1/tags");
            assertEquals(CALLER_SPAN, server.parentSpanId(), "the server span continues the caller's span");
            assertEquals("api-server", server.service());
            assertEquals(traceresponse.split("-")[2], server.spanId(), "traceresponse names the server span");
            Span download = one(trace, "download");
            Span publish = one(trace, "publish");
            Span waiting = one(trace, "result wait");
            assertEquals(server.spanId(), download.parentSpanId());
            assertEquals(server.spanId(), publish.parentSpanId());
            assertEquals(server.spanId(), waiting.parentSpanId());
            assertTrue(download.events().stream().anyMatch(e -> e.name().equals("origin answer")
                    && "200".equals(e.attributes().get("http.response.status_code"))), download.events().toString());
            assertTrue(publish.events().stream().anyMatch(e -> e.name().equals("confirmed")), "publish ends at the confirm");
            // the job's context came back with the result through Redis, and is in the result JSON
            String stored = tagger.common.Json.MAPPER.readTree(answer.body()).path("traceparent").asText();
            assertEquals("00-" + CALLER_TRACE + "-" + publish.spanId() + "-01", stored);
            assertTrue(waiting.events().stream().anyMatch(e -> stored.equals(e.attributes().get("tagger.result.traceparent"))),
                    waiting.events().toString());
            assertTrue(waiting.events().stream().anyMatch(e -> e.name().equals("result received")
                    && List.of("notification", "read_back").contains(e.attributes().get("via"))), waiting.events().toString());
            for (String stage : List.of("queue wait", "preprocess", "batch wait", "result write")) {
                Span s = one(trace, stage);
                assertEquals("ai-worker", s.service(), stage);
                assertEquals(publish.spanId(), s.parentSpanId(), stage + " is a child of the publish span");
            }
            assertTrue(trace.stream().noneMatch(s -> s.name().equals("inference")),
                    "the batch's inference span is no request's child");
            Span inference = inferenceLinking(otlp, CALLER_TRACE, publish.spanId());
            assertEquals("ai-worker", inference.service());
            assertEquals("", inference.parentSpanId());

            // 2. concurrent requests: each its own trace, one inference span per batch linked to each request in it
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                origin.put("/c" + i + ".jpg", SampleImages.jpeg(SampleImages.photoLike(320, 240, 10 + i), 0.9f),
                        "image/jpeg");
                calls.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(stack.url() + "/v1/tags"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + origin.url("/held/c" + i + ".jpg")
                                + "\", \"cache\": false}")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // the origin holds every download until all of them have arrived, so that the jobs reach the
            // worker together (within its 3 s window) however slowly the machine sends them
            TestStack.awaitTrue("every concurrent download reached the origin", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < CONCURRENT; i++) {
                    if (origin.hits("/held/c" + i + ".jpg") == 0) {
                        return false;
                    }
                }
                return true;
            });
            origin.release();
            Map<String, String> publishByTrace = new HashMap<>();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> r = call.get(90, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                String traceId = r.headers().firstValue("traceresponse").orElseThrow().split("-")[1];
                assertFalse(traceId.equals(CALLER_TRACE));
                List<Span> t = awaitSpans(otlp, traceId, "result write", "publish");
                publishByTrace.put(traceId, one(t, "publish").spanId());
            }
            assertEquals(CONCURRENT, publishByTrace.size(), "one trace per request");
            List<Span> inferences = new ArrayList<>();
            for (Map.Entry<String, String> e : publishByTrace.entrySet()) {
                Span inf = inferenceLinking(otlp, e.getKey(), e.getValue());
                if (!inferences.contains(inf)) {
                    inferences.add(inf);
                }
            }
            int largest = 0;
            for (Span inf : inferences) {
                assertEquals(inf.attributes().get("tagger.batch_size"), Integer.toString(inf.links().size()),
                        "an inference span links to every request of its batch: " + inf);
                largest = Math.max(largest, inf.links().size());
            }
            assertTrue(largest >= 2, "requests sent together shared a batch (largest batch " + largest + ")");

            // 3. bulk: the origin answers 429 (Retry-After 1) and then 200; the item's trace shows both and the wait
            origin.put("/b.jpg", photo, "image/jpeg");
            HttpResponse<String> submitted = CLIENT.send(HttpRequest.newBuilder(URI.create(stack.url() + "/v1/batches"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", BulkFixture.NDJSON)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"only\", \"url\": \""
                            + origin.url("/throttled/1/1/b.jpg") + "\"}\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, submitted.statusCode(), submitted.body());
            String batchTrace = submitted.headers().firstValue("traceresponse").orElseThrow().split("-")[1];
            Span submission = one(awaitSpans(otlp, batchTrace, "POST /v1/batches"), "POST /v1/batches");
            Span item = awaitSpan(otlp, s -> s.name().equals("bulk item")
                    && s.links().stream().anyMatch(l -> l.spanId().equals(submission.spanId())));
            List<Span> itemTrace = awaitSpans(otlp, item.traceId(), "result write", "retry wait");
            List<Span> attempts = itemTrace.stream().filter(s -> s.name().equals("download"))
                    .sorted(java.util.Comparator.comparingLong(Span::startNanos)).toList();
            assertEquals(2, attempts.size(), "two download attempts: " + attempts);
            assertEquals("429", attempts.get(0).events().get(0).attributes().get("http.response.status_code"));
            assertEquals("1", attempts.get(0).events().get(0).attributes().get("retry_after"));
            assertEquals("200", attempts.get(1).events().get(0).attributes().get("http.response.status_code"));
            Span wait = one(itemTrace, "retry wait");
            assertTrue(wait.startNanos() >= attempts.get(0).endNanos() - 5_000_000
                    && wait.endNanos() <= attempts.get(1).startNanos() + 5_000_000,
                    "the wait lies between the attempts: " + wait + " " + attempts);
            assertTrue(wait.millis() >= 900, "the wait honours Retry-After: 1 (" + wait.millis() + " ms)");
            for (Span s : itemTrace) {
                // the item's root has no parent; its downloads, wait and worker stages are its children
                assertEquals(s.spanId().equals(item.spanId()) ? "" : item.spanId(), s.parentSpanId(), s.name());
            }

            // the SDK runs its exporter thread (the check below for tracing off must be able to fail)
            assertTrue(threads(stack.apiServers().get(0).pid()).contains("BatchSpanProcessor"));
        }
    }

    @Test
    void withTracingOffNothingIsExportedAndNoExporterThreadRuns(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        byte[] photo = SampleImages.jpeg(SampleImages.photoLike(320, 240, 2), 0.9f);
        try (TestNamespace ns = TestNamespace.random();
                OtlpReceiver otlp = OtlpReceiver.start();
                ImageOrigin origin = ImageOrigin.start();
                LocalStack stack = LocalStack.start(new LocalStack.Plan(1, 1, model, 0, ns.names().namespace(),
                        // an endpoint, but no OTEL_TRACES_EXPORTER: off
                        TestStack.env(ns, Map.of("TAGGER_ALLOW_PRIVATE_NETWORKS", "true",
                                "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "100"))),
                        tmp.resolve("logs"), System.out)) {
            origin.put("/a.jpg", photo, "image/jpeg");
            HttpResponse<String> answer = post(stack.url() + "/v1/tags", "{\"url\": \"" + origin.url("/a.jpg") + "\"}",
                    "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
            assertEquals(200, answer.statusCode(), answer.body());
            assertNull(answer.headers().firstValue("traceresponse").orElse(null));
            for (ChildProcess p : List.of(stack.apiServers().get(0), stack.workers().get(0))) {
                String threads = threads(p.pid());
                assertTrue(threads.contains("\"inference\"") || threads.contains("tagger-download")
                        || threads.contains("main"), "the thread dump is readable: " + threads.length());
                assertFalse(threads.contains("BatchSpanProcessor"), p.name() + " runs no span exporter");
                assertFalse(threads.toLowerCase().contains("otlp"), p.name() + " runs no OTLP sender");
            }
            Thread.sleep(1_000); // ten export intervals, had anything been on
            assertEquals(List.of(), otlp.spans());
        }
    }

    @Test
    void atRatioZeroASampledCallersBatchKeepsItsInferenceAndTheWorkerKeepsItsTracestate(@TempDir Path tmp)
            throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                OtlpReceiver otlp = OtlpReceiver.start();
                ImageOrigin origin = ImageOrigin.start();
                LocalStack stack = LocalStack.start(new LocalStack.Plan(1, 1, model, 0, ns.names().namespace(),
                        TestStack.env(ns, tracingOn(otlp, Map.of("OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                                "OTEL_TRACES_SAMPLER_ARG", "0")))),
                        tmp.resolve("logs"), System.out)) {
            origin.put("/u.jpg", SampleImages.jpeg(SampleImages.photoLike(320, 240, 5), 0.9f), "image/jpeg");
            origin.put("/s.jpg", SampleImages.jpeg(SampleImages.photoLike(320, 240, 6), 0.9f), "image/jpeg");
            // a request without a caller's context: a root, which ratio 0 never keeps
            HttpResponse<String> unsampled = post(stack.url() + "/v1/tags", "{\"url\": \"" + origin.url("/u.jpg") + "\"}");
            assertEquals(200, unsampled.statusCode(), unsampled.body());
            String unsampledTrace = unsampled.headers().firstValue("traceresponse").orElseThrow().split("-")[1];
            // a caller that sampled its trace and has vendor state
            String state = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
            HttpResponse<String> sampled = post(stack.url() + "/v1/tags", "{\"url\": \"" + origin.url("/s.jpg") + "\"}",
                    "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01", "tracestate", state);
            assertEquals(200, sampled.statusCode(), sampled.body());

            List<Span> trace = awaitSpans(otlp, CALLER_TRACE, "publish", "queue wait", "result write");
            Span publish = one(trace, "publish");
            // the batch's inference is a root the ratio alone would drop; it is kept for its sampled request
            Span inference = inferenceLinking(otlp, CALLER_TRACE, publish.spanId());
            assertEquals("", inference.parentSpanId());
            for (String stage : List.of("queue wait", "preprocess", "batch wait", "result write")) {
                Span s = one(trace, stage);
                assertEquals("ai-worker", s.service(), stage);
                assertEquals(state, s.traceState(), stage + " continues the caller's tracestate, carried over RabbitMQ");
            }
            assertEquals(state, publish.traceState());
            assertEquals(List.of(), otlp.trace(unsampledTrace), "ratio 0 keeps nothing of an unsampled request");
            assertTrue(otlp.spans().stream().filter(s -> s.name().equals("inference")).allMatch(s -> s.links().stream()
                    .noneMatch(l -> l.traceId().equals(unsampledTrace))),
                    "the unsampled request's batch has no inference span");
        }
    }

    private static Map<String, String> tracingOn(OtlpReceiver otlp, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("TAGGER_ALLOW_PRIVATE_NETWORKS", "true",
                "OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "100", "TAGGER_TRACE_BULK_ITEMS", "1", "TAGGER_CACHE", "false"));
        env.putAll(extra);
        return env;
    }

    /** POSTs {@code json}; {@code headers}: names and values, alternating. */
    private static HttpResponse<String> post(String url, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the trace holds a span of each name; returns the trace. */
    private static List<Span> awaitSpans(OtlpReceiver otlp, String traceId, String... names) {
        TestStack.awaitTrue("trace " + traceId + " holds " + List.of(names), Duration.ofSeconds(30), () -> {
            List<String> have = otlp.trace(traceId).stream().map(Span::name).toList();
            return have.containsAll(List.of(names));
        });
        return otlp.trace(traceId);
    }

    private static Span awaitSpan(OtlpReceiver otlp, java.util.function.Predicate<Span> which) {
        TestStack.awaitTrue("a span arrives", Duration.ofSeconds(30), () -> otlp.spans().stream().anyMatch(which));
        return otlp.spans().stream().filter(which).findFirst().orElseThrow();
    }

    private static Span inferenceLinking(OtlpReceiver otlp, String traceId, String spanId) {
        return awaitSpan(otlp, s -> s.name().equals("inference")
                && s.links().stream().anyMatch(l -> l.traceId().equals(traceId) && l.spanId().equals(spanId)));
    }

    private static Span one(List<Span> trace, String name) {
        List<Span> found = trace.stream().filter(s -> s.name().equals(name)).toList();
        assertEquals(1, found.size(), "one '" + name + "' span in " + trace.stream().map(Span::name)
                .collect(Collectors.joining(", ")));
        return found.get(0);
    }

    /** The thread dump of a child JVM, by jcmd. */
    private static String threads(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(jcmd), "jcmd");
        return out;
    }
}
