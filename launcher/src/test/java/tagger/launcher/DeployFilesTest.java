package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiConfig;
import tagger.api.cluster.ClusterSnapshot;
import tagger.common.Names;
import tagger.common.TrafficClass;
import tagger.worker.WorkerConfig;

/**
 * What can be checked of deploy/ without Docker or a cluster: every YAML file parses, the images are
 * the ones the Dockerfiles build, probes and resources are there, the GPU is requested, and every
 * TAGGER_* variable set anywhere is one the service actually reads.
 */
class DeployFilesTest {
    static final Path DEPLOY = Path.of("..", "deploy");
    private static final ObjectMapper YAML = new YAMLMapper();

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> k8s() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (String f : List.of("namespace.yaml", "config.yaml", "rabbitmq.yaml", "api-server.yaml", "worker.yaml", "keda.yaml")) {
            all.addAll(documents(DEPLOY.resolve("k8s").resolve(f)));
        }
        return all;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText()
                .equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 10, "found " + files);
        for (Path f : files) {
            assertFalse(documents(f).isEmpty(), f + " has no document");
        }
        // the kustomization lists exactly the manifests that exist
        JsonNode kustomization = documents(DEPLOY.resolve("k8s/kustomization.yaml")).get(0);
        kustomization.path("resources").forEach(r -> assertTrue(Files.exists(DEPLOY.resolve("k8s").resolve(r.asText())), r.asText()));
    }

    @Test
    void imagesAreTheOnesTheDockerfilesBuildAndRunTheRightMain() throws Exception {
        Map<String, String> mains = Map.of("api-server", "tagger.api.ApiServerMain", "ai-worker", "tagger.worker.WorkerMain");
        for (Map.Entry<String, String> e : mains.entrySet()) {
            String dockerfile = Files.readString(DEPLOY.resolve("docker").resolve(e.getKey() + ".Dockerfile"));
            assertTrue(dockerfile.contains("org.opencontainers.image.title=\"tagger-" + e.getKey() + "\""), e.getKey());
            assertTrue(dockerfile.contains("\"" + e.getValue() + "\"]"), e.getKey() + " runs " + e.getValue());
            assertNotNull(Class.forName(e.getValue()).getMethod("main", String[].class));
        }
        String worker = Files.readString(DEPLOY.resolve("docker/ai-worker.Dockerfile"));
        assertTrue(worker.contains("-Pgpu"), "the worker image is built with the GPU profile");
        assertTrue(Pattern.compile("FROM nvidia/cuda:12\\.[0-9.]+-cudnn-runtime").matcher(worker).find(),
                "CUDA 12 + cuDNN 9 runtime base");
        assertTrue(worker.contains("openjdk-17-jre-headless") && worker.contains("libjavajpeg.so"),
                "the distribution's JDK, checked to link the system libjpeg");

        JsonNode compose = documents(DEPLOY.resolve("docker-compose.yml")).get(0);
        JsonNode kustomization = documents(DEPLOY.resolve("k8s/kustomization.yaml")).get(0);
        Map<String, String> tags = new HashMap<>();
        kustomization.path("images").forEach(i -> tags.put(i.path("name").asText(), i.path("newTag").asText()));
        assertEquals(Set.of("tagger/api-server", "tagger/ai-worker"), tags.keySet());
        compose.path("services").fields().forEachRemaining(s -> {
            String image = s.getValue().path("image").asText();
            if (image.startsWith("tagger/")) {
                String name = image.substring("tagger/".length(), image.indexOf(':'));
                assertEquals(tags.get("tagger/" + name), image.substring(image.indexOf(':') + 1), s.getKey() + " tag");
                JsonNode build = s.getValue().path("build");
                if (!build.isMissingNode()) {
                    assertEquals("deploy/docker/" + name + ".Dockerfile", build.path("dockerfile").asText(), s.getKey());
                }
            }
        });
        for (JsonNode d : k8s()) {
            for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
                assertTrue(tags.containsKey(c.path("image").asText()), c.path("image").asText() + " is built by deploy/docker");
            }
        }
    }

    @Test
    void composeRunsTheWholePipelineWithAGpuWorkerAndPrometheusScrapingEveryService() throws IOException {
        JsonNode services = documents(DEPLOY.resolve("docker-compose.yml")).get(0).path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertTrue(names.containsAll(Set.of("rabbitmq", "redis", "haproxy", "api-1", "api-2", "worker", "prometheus")), names.toString());
        JsonNode gpu = services.path("worker").path("deploy").path("resources").path("reservations").path("devices").get(0);
        assertEquals("nvidia", gpu.path("driver").asText());
        assertEquals("gpu", gpu.path("capabilities").get(0).asText());
        assertTrue(services.path("haproxy").path("volumes").get(0).asText().startsWith("./haproxy/haproxy.cfg:"));

        String prometheus = Files.readString(DEPLOY.resolve("prometheus/prometheus.yml"));
        for (String target : List.of("api-1:8080", "api-2:8080", "\"worker\"", "haproxy:8404", "rabbitmq:15692", "redis-exporter:9121")) {
            assertTrue(prometheus.contains(target), "Prometheus scrapes " + target);
        }
    }

    @Test
    void kubernetesDeploymentsHaveProbesResourcesAndTheGpu() throws IOException {
        List<JsonNode> docs = k8s();
        JsonNode api = kind(docs, "Deployment", "tagger-api").path("spec").path("template").path("spec");
        JsonNode apiContainer = api.path("containers").get(0);
        assertEquals("/healthz", apiContainer.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/readyz", apiContainer.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals(8080, apiContainer.path("ports").get(0).path("containerPort").asInt());
        assertTrue(apiContainer.path("resources").path("requests").has("cpu"));
        assertTrue(apiContainer.path("resources").path("limits").has("memory"));
        assertEquals("tagger-api", kind(docs, "Service", "tagger-api").path("spec").path("selector").path("app").asText());

        JsonNode worker = kind(docs, "Deployment", "tagger-worker").path("spec").path("template").path("spec");
        JsonNode w = worker.path("containers").get(0);
        assertEquals(1, w.path("resources").path("limits").path("nvidia.com/gpu").asInt());
        assertEquals("Tesla-T4", worker.path("nodeSelector").path("nvidia.com/gpu.product").asText());
        assertEquals("nvidia.com/gpu", worker.path("tolerations").get(0).path("key").asText());
        assertEquals("/readyz", w.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals(9090, w.path("ports").get(0).path("containerPort").asInt());
        assertTrue(worker.path("terminationGracePeriodSeconds").asInt() >= 15,
                "longer than the worker's 10 s grace for in-flight jobs");

        assertEquals("RabbitmqCluster", kind(docs, "RabbitmqCluster", "tagger-rabbitmq").path("kind").asText());
        JsonNode scaled = kind(docs, "ScaledObject", "tagger-worker").path("spec");
        assertEquals("tagger-worker", scaled.path("scaleTargetRef").path("name").asText());
        String namespace = kind(docs, "ConfigMap", "tagger-config").path("data").path("TAGGER_NAMESPACE").asText();
        Set<String> queues = new TreeSet<>();
        scaled.path("triggers").forEach(t -> {
            if (t.path("type").asText().equals("rabbitmq")) {
                queues.add(t.path("metadata").path("queueName").asText());
            }
        });
        Names names = new Names(namespace);
        // bulk scales on the recommendation (pending migration items per target): flow control keeps the bulk
        // queue short, so a queue-length trigger on it would say nothing
        assertEquals(Set.of(names.queue(TrafficClass.REALTIME)), queues);
        JsonNode advice = null;
        for (JsonNode t : scaled.path("triggers")) {
            if (t.path("type").asText().equals("metrics-api")) {
                advice = t.path("metadata");
            }
        }
        assertNotNull(advice, "KEDA also follows tagger's recommended worker count");
        assertEquals("recommendation.workers", advice.path("valueLocation").asText());
        var recommendation = List.of(ClusterSnapshot.class.getRecordComponents()).stream()
                .filter(c -> c.getName().equals("recommendation")).findFirst().orElseThrow();
        assertTrue(List.of(recommendation.getType().getRecordComponents()).stream().anyMatch(c -> c.getName().equals("workers")),
                "/v1/cluster has recommendation.workers");
    }

    @Test
    void everyTaggerVariableSetInDeployIsOneTheServiceReads(@TempDir Path model) throws IOException {
        Function<Map<String, String>, Object> api = env -> fingerprint(ApiConfig.fromEnv(env));
        Function<Map<String, String>, Object> worker = env -> fingerprint(WorkerConfig.fromEnv(env));
        Map<String, String> apiBase = Map.of("TAGGER_INSTANCE_ID", "api-fixed");
        Map<String, String> workerBase = Map.of("TAGGER_WORKER_ID", "worker-fixed", "TAGGER_MODEL_DIR", model.toString());
        Set<String> logback = new TreeSet<>();
        for (String module : List.of("api-server", "ai-worker")) {
            Matcher m = Pattern.compile("\\$\\{(TAGGER_[A-Z0-9_]+)").matcher(Files.readString(
                    Path.of("..", module, "src/main/resources/logback.xml")));
            while (m.find()) {
                logback.add(m.group(1));
            }
        }

        Map<String, List<String>> unknown = new LinkedHashMap<>();
        JsonNode compose = documents(DEPLOY.resolve("docker-compose.yml")).get(0).path("services");
        compose.fields().forEachRemaining(s -> {
            String image = s.getValue().path("image").asText();
            boolean isApi = image.startsWith("tagger/api-server");
            boolean isWorker = image.startsWith("tagger/ai-worker");
            if (isApi || isWorker) {
                s.getValue().path("environment").fieldNames().forEachRemaining(n -> check(n, isApi ? List.of(api) : List.of(worker),
                        isApi ? apiBase : workerBase, logback, "compose " + s.getKey(), unknown));
            }
        });
        List<JsonNode> docs = k8s();
        for (JsonNode d : docs) {
            for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
                boolean isApi = c.path("image").asText().equals("tagger/api-server");
                for (JsonNode e : c.path("env")) {
                    check(e.path("name").asText(), isApi ? List.of(api) : List.of(worker), isApi ? apiBase : workerBase,
                            logback, d.path("metadata").path("name").asText(), unknown);
                }
            }
        }
        // the shared ConfigMap goes to both: each name must be read by at least one of them
        kind(docs, "ConfigMap", "tagger-config").path("data").fieldNames().forEachRemaining(n -> {
            Map<String, List<String>> notApi = new HashMap<>();
            Map<String, List<String>> notWorker = new HashMap<>();
            check(n, List.of(api), apiBase, logback, "x", notApi);
            check(n, List.of(worker), workerBase, logback, "x", notWorker);
            if (!notApi.isEmpty() && !notWorker.isEmpty()) {
                unknown.computeIfAbsent("configmap tagger-config", k -> new ArrayList<>()).add(n);
            }
        });
        assertEquals(Map.of(), unknown, "TAGGER_* variables no service reads (typos?)");
    }

    /** A record's components as text (Names has no equals of its own: compare its namespace). */
    static String fingerprint(Record r) {
        StringBuilder sb = new StringBuilder();
        for (var c : r.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                sb.append(c.getName()).append('=').append(v instanceof Names n ? n.namespace() : String.valueOf(v)).append(';');
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    /**
     * A variable is read if setting it to garbage changes the config or is reported as a problem, or
     * if the service's logback.xml uses it.
     */
    private static void check(String name, List<Function<Map<String, String>, Object>> readers, Map<String, String> base,
            Set<String> logback, String where, Map<String, List<String>> unknown) {
        if (!name.startsWith("TAGGER_") || logback.contains(name)) {
            return;
        }
        for (Function<Map<String, String>, Object> reader : readers) {
            Object plain = reader.apply(base);
            Map<String, String> env = new HashMap<>(base);
            env.put(name, "\u0001garbage value");
            try {
                if (!reader.apply(env).equals(plain)) {
                    return;
                }
            } catch (IllegalArgumentException refused) {
                return;
            }
        }
        unknown.computeIfAbsent(where, k -> new ArrayList<>()).add(name);
    }

    @Test
    void theGarbageCheckWouldCatchATypo(@TempDir Path model) {
        Map<String, List<String>> unknown = new HashMap<>();
        Function<Map<String, String>, Object> api = env -> fingerprint(ApiConfig.fromEnv(env));
        check("TAGGER_MAX_INFLIGT", List.of(api), Map.of("TAGGER_INSTANCE_ID", "a"), Set.of(), "typo", unknown);
        check("TAGGER_MAX_INFLIGHT", List.of(api), Map.of("TAGGER_INSTANCE_ID", "a"), Set.of(), "right", unknown);
        check("TAGGER_HTTP_HOST", List.of(api), Map.of("TAGGER_INSTANCE_ID", "a"), Set.of(), "a string", unknown);
        assertEquals(Map.of("typo", List.of("TAGGER_MAX_INFLIGT")), unknown);
    }
}
