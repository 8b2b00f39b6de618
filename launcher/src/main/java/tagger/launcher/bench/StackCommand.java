package tagger.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tagger.common.Json;
import tagger.launcher.LocalStack;
import tagger.fixtures.ImageOrigin;
import tagger.fixtures.RedisProcess;
import tagger.fixtures.ScratchNamespace;

/**
 * {@code ./tagger bench stack}: the whole distributed stack (one api-server and one worker process,
 * the local RabbitMQ, a redis-server of its own) tagging large JPEGs by URL, and the CPU every
 * process spent per image ({@code /proc/<pid>/stat}), for the old release path beside today's
 * defaults. Configurations run back to back, alternated, each on a freshly started stack, so that
 * all see the same machine.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Whole-stack images per CPU-second (api-server, worker, broker, Redis): old path vs defaults.")
final class StackCommand implements Callable<Integer> {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(15);
    /** HotSpot's compiler threads ("C2 CompilerThread0" shows as "C# CompilerThre" once digits are folded). */
    private static final String JIT_THREADS = "C# CompilerThre";
    /** ONNX Runtime's intra-op pool: native threads named after the thread that opened the session, "onnx-session-open". */
    private static final String ORT_THREADS = "onnx-session";

    /** The configurations compared; each sets every switch it depends on, whatever the caller's environment. */
    enum Config {
        BEFORE("before: worker decodes, ImageIO, no cache", "worker", "off", "false"),
        WORKER_TURBO("worker decodes, libjpeg-turbo, no cache", "worker", "auto", "false"),
        AFTER("after: defaults (auto edge, libjpeg-turbo, cache on, all misses)", "auto", "auto", "true");

        final String label;
        final Map<String, String> env;

        Config(String label, String preprocessAt, String turbojpeg, String cache) {
            this.label = label;
            this.env = Map.of("TAGGER_PREPROCESS_AT", preprocessAt, "TAGGER_TURBOJPEG", turbojpeg,
                    "TAGGER_CACHE", cache);
        }

        String cli() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Where the CPU went. The broker is shared with whatever else runs on this machine (measured net of
     * its idle background); Redis is the benchmark's own; the JIT compilers' threads (warm-up, gone in
     * a long-running server) are reported, not counted.
     */
    enum Part {
        API("api-server", true), WORKER("worker outside ORT's threads", true), ORT("ORT intra-op threads", true),
        BROKER("RabbitMQ", true), REDIS("Redis", true), JIT("JIT compiler threads", false);

        final String label;
        final boolean counted;

        Part(String label, boolean counted) {
            this.label = label;
            this.counted = counted;
        }
    }

    /**
     * One measured run: CPU seconds per process while the images were tagged ({@code gross}), what the
     * broker and Redis used in an idle window right after, scaled to the same wall time
     * ({@code background}), images, wall seconds, and how the images went.
     */
    record Run(Config config, Map<Part, Double> gross, Map<Part, Double> background, int images, double wallSeconds,
            int edged, int misses) {
        /** CPU seconds of {@code part} that this run caused: gross minus the idle background. */
        double net(Part part) {
            return gross.getOrDefault(part, 0.0) - background.getOrDefault(part, 0.0);
        }

        double total() {
            double sum = 0;
            for (Part p : Part.values()) {
                sum += p.counted ? net(p) : 0;
            }
            return sum;
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "48",
            description = "Measured images per configuration and round (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--warmup", defaultValue = "32",
            description = "Unmeasured images first, on each freshly started stack (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--concurrency", defaultValue = "8",
            description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Times every configuration runs, alternated (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--width", defaultValue = "4000", description = "Photo width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "3000", description = "Photo height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--distinct", defaultValue = "8",
            description = "Different generated photos; every request still gets unique bytes (a JPEG comment), "
                    + "so the cache never hits (default: ${DEFAULT-VALUE}).")
    int distinct;

    @Option(names = "--configs", split = ",", defaultValue = "before,worker-turbo,after",
            description = "Configurations, in this order every round: before | worker-turbo | after "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--threads",
            description = "Also print each run's busiest threads of the api-server and the worker (CPU ms per image).")
    boolean threads;

    @Option(names = "--model", defaultValue = "demo",
            description = "demo | mobilenetv2 | resnet50; demo keeps inference (a GPU's work) out of the worker's "
                    + "CPU (default: ${DEFAULT-VALUE}).")
    BenchModel model;

    @Override
    public Integer call() throws Exception {
        List<Config> order = parse();
        Path dir = model.directory();
        List<byte[]> photos = BenchImages.jpegs(distinct, width, height);
        System.out.printf(Locale.ROOT, "bench stack: model %s, %dx%d JPEGs (%d distinct, %d KB average, unique bytes "
                + "per request), %d warm-up + %d measured per run, %d in flight, %d round(s) of %s%n", model, width,
                height, distinct, BenchImages.averageBytes(photos) / 1024, warmup, images, concurrency, rounds,
                order.stream().map(Config::cli).toList());
        System.out.println("  machine: " + Machine.describe() + "; load average " + Machine.load());
        OptionalLong broker;
        try (ScratchNamespace probe = BenchNamespace.create()) {
            broker = ProcessCpu.listeningOn(port(probe.rabbitUri(), 5672));
        }
        // Redis gets its own server, so that its CPU is this benchmark's alone; the broker is the shared one
        try (RedisProcess ownRedis = RedisProcess.start(false)) {
            OptionalLong redis = ProcessCpu.listeningOn(ownRedis.port());
            System.out.println("  broker pid " + (broker.isPresent() ? broker.getAsLong() : "not visible")
                    + " (shared with other work on this machine: measured net of an idle window after each run); "
                    + "Redis: an own redis-server on port " + ownRedis.port() + ", pid "
                    + (redis.isPresent() ? redis.getAsLong() : "not visible"));
            measure(order, dir, photos, broker, redis, ownRedis.uri());
        }
        return 0;
    }

    private void measure(List<Config> order, Path dir, List<byte[]> photos, OptionalLong broker, OptionalLong redis,
            URI redisUri) throws Exception {
        List<Run> runs = new ArrayList<>();
        AtomicInteger sequence = new AtomicInteger();
        try (ImageOrigin origin = ImageOrigin.start()) {
            for (int r = 1; r <= rounds; r++) {
                for (Config config : order) {
                    Run run = run(config, dir, origin, photos, sequence, broker, redis, redisUri);
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "  round %d %-12s %5.1f img/CPU-s total; CPU-s api %.2f, worker "
                            + "%.2f, ORT %.2f, broker %.2f (idle %.2f), Redis %.2f (idle %.2f), JIT %.2f (not counted); "
                            + "%.1f s wall, edge-preprocessed %d/%d, cache misses %d; load %s%n", r, config.cli(),
                            run.images() / run.total(), run.net(Part.API), run.net(Part.WORKER), run.net(Part.ORT),
                            run.gross().getOrDefault(Part.BROKER, 0.0), run.background().getOrDefault(Part.BROKER, 0.0),
                            run.gross().getOrDefault(Part.REDIS, 0.0), run.background().getOrDefault(Part.REDIS, 0.0),
                            run.net(Part.JIT), run.wallSeconds(), run.edged(), run.images(), run.misses(), Machine.load());
                }
            }
        }
        Table table = table(order, runs);
        System.out.println();
        System.out.print(table.console());
        System.out.println("(ms = CPU milliseconds per image over all rounds; broker and Redis net of their idle "
                + "background; JIT compiler threads excluded from the api-server and worker figures and the total; "
                + "img/CPU-s = images per CPU-second)");
        System.out.println();
        System.out.println("Markdown:");
        System.out.print(table.markdown());
    }

    private List<Config> parse() {
        if (images < 1 || warmup < 0 || concurrency < 1 || rounds < 1 || distinct < 1 || width < 16 || height < 16) {
            throw BenchCommand.badOption(spec, "--images, --concurrency, --rounds and --distinct must be >= 1, "
                    + "--warmup >= 0 and the size at least 16x16, got " + images + ", " + concurrency + ", " + rounds
                    + ", " + distinct + ", " + warmup + " and " + width + "x" + height);
        }
        List<Config> order = new ArrayList<>();
        for (String name : configs) {
            Config c = null;
            for (Config candidate : Config.values()) {
                if (candidate.cli().equals(name.trim())) {
                    c = candidate;
                }
            }
            if (c == null || order.contains(c)) {
                throw BenchCommand.badOption(spec, "--configs takes distinct names among before, worker-turbo and "
                        + "after, got '" + name + "'");
            }
            order.add(c);
        }
        return order;
    }

    private static int port(URI uri, int fallback) {
        return uri.getPort() > 0 ? uri.getPort() : fallback;
    }

    /** Starts a stack in {@code config}, warms it up, and measures {@code images} requests. */
    private Run run(Config config, Path dir, ImageOrigin origin, List<byte[]> photos, AtomicInteger sequence,
            OptionalLong broker, OptionalLong redis, URI redisUri) throws Exception {
        try (ScratchNamespace ns = BenchNamespace.create()) {
            Map<String, String> env = LatencyCommand.env(ns, dir);
            env.put("TAGGER_REDIS_URI", redisUri.toString());
            env.putAll(config.env);
            // CPU per image is measured, not latency: a loaded machine must not turn slow answers into errors
            env.put("TAGGER_TIMEOUT_MS", "60000");
            env.put("TAGGER_DOWNLOAD_READ_TIMEOUT_MS", "60000");
            env.put("TAGGER_DOWNLOAD_TIMEOUT_MS", "60000");
            try (LocalStack stack = LocalStack.start(1, dir, 0, ns.names().namespace(), env)) {
                Map<Part, Long> pids = new EnumMap<>(Part.class);
                stack.pids().forEach((name, pid) -> pids.put(name.contains("-api-") ? Part.API : Part.WORKER, pid));
                broker.ifPresent(pid -> pids.put(Part.BROKER, pid));
                redis.ifPresent(pid -> pids.put(Part.REDIS, pid));
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String tags = stack.url() + "/v1/tags";
                send(http, tags, origin, photos, sequence, warmup);
                Map<String, Double> apiThreads = ProcessCpu.threads(pids.get(Part.API));
                Map<String, Double> workerThreads = ProcessCpu.threads(pids.get(Part.WORKER));
                Map<Part, Double> before = cpu(pids);
                long start = System.nanoTime();
                int[] verdicts = send(http, tags, origin, photos, sequence, images);
                double wall = (System.nanoTime() - start) / 1e9;
                Map<Part, Double> after = cpu(pids);
                Map<String, Double> apiThreadsUsed = delta(apiThreads, ProcessCpu.threads(pids.get(Part.API)));
                Map<String, Double> workerThreadsUsed = delta(workerThreads, ProcessCpu.threads(pids.get(Part.WORKER)));
                if (threads) {
                    System.out.println("    api-server threads, ms CPU/image: " + perImage(apiThreadsUsed));
                    System.out.println("    worker threads, ms CPU/image: " + perImage(workerThreadsUsed));
                }
                Map<Part, Double> used = new EnumMap<>(Part.class);
                for (Part p : pids.keySet()) {
                    used.put(p, after.get(p) - before.get(p));
                }
                double apiJit = sum(apiThreadsUsed, JIT_THREADS);
                double workerJit = sum(workerThreadsUsed, JIT_THREADS);
                double ort = sum(workerThreadsUsed, ORT_THREADS);
                used.put(Part.API, used.get(Part.API) - apiJit);
                used.put(Part.WORKER, used.get(Part.WORKER) - workerJit - ort);
                used.put(Part.ORT, ort);
                used.put(Part.JIT, apiJit + workerJit);
                return new Run(config, used, background(pids, wall), images, wall, verdicts[0], verdicts[1]);
            }
        }
    }

    /**
     * What the broker and Redis use while this stack idles (other work on the machine, plus the
     * stack's own heartbeats), over up to {@link #IDLE_WINDOW}, scaled to {@code wallSeconds}.
     */
    private static Map<Part, Double> background(Map<Part, Long> pids, double wallSeconds) throws InterruptedException {
        Map<Part, Long> shared = new EnumMap<>(Part.class);
        for (Part p : List.of(Part.BROKER, Part.REDIS)) {
            if (pids.containsKey(p)) {
                shared.put(p, pids.get(p));
            }
        }
        double window = Math.min(wallSeconds, IDLE_WINDOW.toMillis() / 1000.0);
        Map<Part, Double> before = cpu(shared);
        long start = System.nanoTime();
        Thread.sleep((long) (window * 1000));
        double idle = (System.nanoTime() - start) / 1e9;
        Map<Part, Double> after = cpu(shared);
        Map<Part, Double> m = new EnumMap<>(Part.class);
        shared.keySet().forEach(p -> m.put(p, (after.get(p) - before.get(p)) * wallSeconds / idle));
        return m;
    }

    /** CPU seconds per thread group between two snapshots. */
    private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> m = new TreeMap<>();
        after.forEach((name, s) -> m.put(name, s - before.getOrDefault(name, 0.0)));
        return m;
    }

    /** CPU seconds of the thread groups whose name starts with {@code prefix}. */
    private static double sum(Map<String, Double> threads, String prefix) {
        return threads.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(e -> Math.max(0, e.getValue())).sum();
    }

    /** The busiest thread groups, as "name ms" per image, busiest first. */
    private String perImage(Map<String, Double> used) {
        StringBuilder sb = new StringBuilder();
        used.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(fmt(e.getValue() * 1000 / images, 1)));
        return sb.toString();
    }

    private static Map<Part, Double> cpu(Map<Part, Long> pids) {
        Map<Part, Double> m = new EnumMap<>(Part.class);
        pids.forEach((part, pid) -> m.put(part, ProcessCpu.seconds(pid)));
        return m;
    }

    /**
     * Sends {@code count} requests, {@code concurrency} at a time, each for a new URL serving unique
     * bytes; returns how many were edge-preprocessed and how many were cache misses.
     */
    private int[] send(HttpClient http, String tagsUrl, ImageOrigin origin, List<byte[]> photos,
            AtomicInteger sequence, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger edged = new AtomicInteger();
        AtomicInteger misses = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                // one path per sender, re-filled only after its previous request was answered: the
                // origin holds `concurrency` photos, not every one sent; the query keeps URLs unique
                String path = "/stack-sender-" + t + ".jpg";
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        int n = sequence.incrementAndGet();
                        byte[] body = unique(photos.get(n % photos.size()), n);
                        String url = origin.put(path, body, "image/jpeg") + "?n=" + n;
                        JsonNode timings = tag(http, tagsUrl, url);
                        if (timings.path("edgePreprocess").asDouble() > 0) {
                            edged.incrementAndGet();
                        }
                        if ("miss".equals(timings.path("cache").asText())) {
                            misses.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new int[] {edged.get(), misses.get()};
    }

    private static JsonNode tag(HttpClient http, String tagsUrl, String imageUrl) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tagsUrl)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("url", imageUrl)))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(imageUrl + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        return Json.MAPPER.readTree(response.body()).path("timings");
    }

    /** The JPEG with a comment segment (APP-independent, ignored by decoders) right after SOI: new bytes, same pixels. */
    static byte[] unique(byte[] jpeg, int n) {
        byte[] text = ("tagger bench stack " + n).getBytes(StandardCharsets.US_ASCII);
        int length = text.length + 2;
        byte[] out = new byte[jpeg.length + 2 + length];
        out[0] = jpeg[0];
        out[1] = jpeg[1]; // FF D8
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xFE; // COM
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        System.arraycopy(text, 0, out, 6, text.length);
        System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
        return out;
    }

    private static Table table(List<Config> order, List<Run> runs) {
        List<String> header = new ArrayList<>(List.of("configuration", "images"));
        for (Part p : Part.values()) {
            header.add(p.label + (p == Part.BROKER || p == Part.REDIS ? " ms (net)" : " ms")
                    + (p.counted ? "" : " (not counted)"));
        }
        header.addAll(List.of("total ms", "api-server img/CPU-s", "worker img/CPU-s outside ORT", "total img/CPU-s",
                "total / first", "img/CPU-s without ORT", "without ORT / first", "runs (total img/CPU-s)"));
        Table table = new Table(header.toArray(String[]::new));
        double first = 0;
        double firstWithoutOrt = 0;
        for (Config c : order) {
            List<Run> mine = runs.stream().filter(r -> r.config() == c).toList();
            double n = mine.stream().mapToInt(Run::images).sum();
            double total = mine.stream().mapToDouble(Run::total).sum();
            double withoutOrt = total - mine.stream().mapToDouble(r -> r.net(Part.ORT)).sum();
            if (first == 0) {
                first = n / total;
                firstWithoutOrt = n / withoutOrt;
            }
            List<String> row = new ArrayList<>(List.of(c.label, fmt(n, 0)));
            for (Part p : Part.values()) {
                row.add(ms(mine.stream().mapToDouble(r -> r.net(p)).sum(), n));
            }
            StringBuilder each = new StringBuilder();
            mine.forEach(r -> each.append(each.length() == 0 ? "" : ", ").append(fmt(r.images() / r.total(), 1)));
            row.addAll(List.of(ms(total, n), perCpu(n, mine.stream().mapToDouble(r -> r.net(Part.API)).sum()),
                    perCpu(n, mine.stream().mapToDouble(r -> r.net(Part.WORKER)).sum()), fmt(n / total, 1),
                    fmt((n / total) / first, 2), fmt(n / withoutOrt, 1), fmt((n / withoutOrt) / firstWithoutOrt, 2),
                    each.toString()));
            table.row(row.toArray(String[]::new));
        }
        return table;
    }

    private static String ms(double seconds, double images) {
        return fmt(seconds * 1000 / images, 1);
    }

    private static String perCpu(double images, double seconds) {
        return seconds <= 0 ? "—" : fmt(images / seconds, 1);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
