package tagger.launcher.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tagger.imaging.EdgePayload;
import tagger.imaging.EdgePreprocessor;
import tagger.imaging.TurboJpeg;
import tagger.imaging.UndecodableImageException;
import tagger.worker.inference.Device;
import tagger.worker.model.ModelDirectory;

/**
 * {@code ./tagger bench throughput}: for each batch size, raw ONNX Runtime throughput and the
 * throughput of a real worker fed from a pre-filled RabbitMQ queue, side by side in one process
 * with the same intra-op threads, plus the worker's inference duty cycle; repeated, reported as
 * median and range.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Raw ONNX Runtime vs the worker fed from RabbitMQ, per batch size.")
final class ThroughputCommand implements Callable<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");
    private static final int DISTINCT_IMAGES = 16;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "mobilenetv2",
            description = "mobilenetv2 | resnet50 | demo (default: ${DEFAULT-VALUE}).")
    BenchModel model;

    @Option(names = "--images", defaultValue = "320",
            description = "Images measured per batch size and run (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batches", split = ",", defaultValue = "1,2,4,8,16,32",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--intra-op-threads", defaultValue = "1",
            description = "ONNX Runtime intra-op threads, raw and worker alike (default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--preprocess-threads", defaultValue = "1",
            description = "Worker decode/preprocess threads (default: ${DEFAULT-VALUE}).")
    int preprocessThreads;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Runs of the whole sweep (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--image-size", defaultValue = "640x480",
            description = "Size of the JPEGs queued for the worker (default: ${DEFAULT-VALUE}).")
    String imageSize;

    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu | cuda: where raw ONNX Runtime and the worker run (cuda needs a -Pgpu build; "
                    + "default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--preprocess-at", defaultValue = "worker",
            description = "worker: queue the JPEGs; api: queue the edge payloads an api-server would publish for them "
                    + "(default: ${DEFAULT-VALUE}).")
    String preprocessAt;

    @Override
    public Integer call() {
        validate();
        Matcher size = SIZE.matcher(imageSize);
        size.matches();
        int width = Integer.parseInt(size.group(1));
        int height = Integer.parseInt(size.group(2));
        Path dir = model.directory();
        ModelDirectory loaded = ModelDirectory.load(dir);
        List<byte[]> jpegs = BenchImages.jpegs(DISTINCT_IMAGES, width, height);
        List<byte[]> queued = jpegs;
        String contentType = "image/jpeg";
        if (preprocessAt.equals("api")) {
            EdgePreprocessor edge = new EdgePreprocessor(loaded.spec().input().preprocess().pixels(), 50_000_000,
                    TurboJpeg.shared().orElse(null));
            queued = new ArrayList<>();
            for (byte[] jpeg : jpegs) {
                try {
                    EdgePayload payload = edge.preprocess(jpeg);
                    queued.add(payload.body());
                    contentType = payload.contentType();
                } catch (UndecodableImageException e) {
                    throw new IllegalStateException("a generated benchmark image did not decode: " + e.getMessage(), e);
                }
            }
        }
        System.out.printf(Locale.ROOT, "bench throughput: model %s (%s), %d images per batch size, %d run(s)%n",
                model, dir, images, repeats);
        System.out.printf(Locale.ROOT, "  intra-op threads %d (raw and worker), worker preprocess threads %d, "
                + "JPEG %dx%d (%d KB avg, %d distinct), preprocessed at the %s: %d KB avg per message%n",
                intraOpThreads, preprocessThreads, width, height, BenchImages.averageBytes(jpegs) / 1024,
                DISTINCT_IMAGES, preprocessAt, BenchImages.averageBytes(queued) / 1024);
        System.out.println("  machine: " + Machine.describe() + "; load average " + Machine.load());
        long started = System.nanoTime();
        Map<Integer, List<Run>> runs = new TreeMap<>();
        try (RawThroughput raw = new RawThroughput(loaded, intraOpThreads, Device.parse(device))) {
            for (int r = 1; r <= repeats; r++) {
                for (int batch : batches) {
                    int warmup = Math.max(2 * batch, 16);
                    RawThroughput.Result rawResult = raw.measure(batch, jpegs, Math.max(3, ceilDiv(warmup, batch)),
                            ceilDiv(images, batch));
                    double rawRate = rawResult.imagesPerSecond();
                    long timeoutMs = Math.max(60_000, (long) (5_000.0 * (warmup + images) / rawRate));
                    BatchArrivals.Window w = QueuedWorkerRun.run(dir,
                            new QueuedWorkerRun.Settings(batch, intraOpThreads, preprocessThreads, device), queued, contentType,
                            warmup, images, timeoutMs);
                    runs.computeIfAbsent(batch, b -> new ArrayList<>()).add(new Run(rawRate, rawResult.cpuShare(),
                            w.imagesPerSecond(), w.dutyCycle(), w.inferenceCpuShare()));
                    System.out.printf(Locale.ROOT, "  run %d/%d batch %2d: raw %6.1f img/s (%.1f ms/batch, "
                            + "thread on CPU %.0f%%) | worker %6.1f img/s (%.1f ms/batch inference, inference thread "
                            + "on CPU %.0f%%, %.1f ms/image preprocess; %d images in %d batches after %d warm-up) | "
                            + "ratio %.3f, duty cycle %.3f%n", r, repeats, batch, rawRate, 1000.0 * batch / rawRate,
                            100 * rawResult.cpuShare(), w.imagesPerSecond(), w.inferenceMs(),
                            100 * w.inferenceCpuShare(), w.preprocessMs(), w.images(), w.batches(), warmup,
                            w.imagesPerSecond() / rawRate, w.dutyCycle());
                }
            }
        }
        System.out.println("  load average at the end: " + Machine.load());
        Table table = table(runs);
        System.out.println();
        System.out.print(table.console());
        System.out.printf(Locale.ROOT, "(median over %d runs, range in brackets; targets: worker/raw >= 0.90, "
                + "duty cycle >= 0.95; on CPU = share of the time the thread calling ONNX Runtime ran on a core; "
                + "per CPU-s = the ratio of images per CPU-second of that thread; %.0f s in all)%n", repeats,
                (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.println("Markdown:");
        System.out.print(table.markdown());
        return 0;
    }

    /** One batch size's pair of measurements, raw and worker, taken back to back. */
    record Run(double rawRate, double rawCpuShare, double workerRate, double dutyCycle, double workerCpuShare) {
        double ratio() {
            return workerRate / rawRate;
        }

        /**
         * The ratio of images per CPU-second of the inference thread: what the worker's inference
         * thread gets done with the CPU it was given, against raw. It discounts a thread waiting for a
         * core (other work on a shared machine) and keeps everything the thread does besides
         * session.run. Meaningful with one intra-op thread, where the calling thread does all the work.
         */
        double ratioPerCpuSecond() {
            return (workerRate / workerCpuShare) / (rawRate / rawCpuShare);
        }
    }

    static Table table(Map<Integer, List<Run>> runs) {
        Table table = new Table("batch", "raw img/s", "worker img/s", "worker/raw", "duty cycle",
                "on CPU raw / worker", "worker/raw per CPU-s");
        runs.forEach((batch, list) -> table.row(Integer.toString(batch),
                sample(list, Run::rawRate).medianAndRange("%.1f"),
                sample(list, Run::workerRate).medianAndRange("%.1f"),
                // the median of per-run ratios: each ratio pairs two measurements taken side by side
                sample(list, Run::ratio).medianAndRange("%.3f"),
                sample(list, Run::dutyCycle).medianAndRange("%.3f"),
                String.format(Locale.ROOT, "%.0f%% / %.0f%%", 100 * sample(list, Run::rawCpuShare).median(),
                        100 * sample(list, Run::workerCpuShare).median()),
                sample(list, Run::ratioPerCpuSecond).medianAndRange("%.3f")));
        return table;
    }

    private static Sample sample(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
        return Sample.of(runs.stream().mapToDouble(value).toArray());
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        if (images < 1) {
            problems.add("--images must be >= 1, got " + images);
        }
        for (int b : batches) {
            if (b < 1 || b > 1024) {
                problems.add("--batches must each be between 1 and 1024, got " + b);
            }
        }
        if (intraOpThreads < 1) {
            problems.add("--intra-op-threads must be >= 1 (name the count: raw and worker must match), got "
                    + intraOpThreads);
        }
        if (preprocessThreads < 1) {
            problems.add("--preprocess-threads must be >= 1, got " + preprocessThreads);
        }
        if (repeats < 1) {
            problems.add("--repeats must be >= 1, got " + repeats);
        }
        if (!device.equals("cpu") && !device.equals("cuda")) {
            problems.add("--device must be cpu or cuda, got '" + device + "'");
        }
        if (!preprocessAt.equals("worker") && !preprocessAt.equals("api")) {
            problems.add("--preprocess-at must be worker or api, got '" + preprocessAt + "'");
        }
        if (!SIZE.matcher(imageSize).matches()) {
            problems.add("--image-size must look like 640x480, got '" + imageSize + "'");
        }
        if (!problems.isEmpty()) {
            throw BenchCommand.badOption(spec, String.join("; ", problems));
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
