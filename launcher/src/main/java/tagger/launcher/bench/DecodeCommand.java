package tagger.launcher.bench;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tagger.imaging.EdgePayload;
import tagger.imaging.EdgePreprocessor;
import tagger.imaging.PreprocessSpec;
import tagger.imaging.Preprocessor;
import tagger.imaging.TensorPsnr;
import tagger.imaging.TurboJpeg;
import tagger.imaging.UndecodableImageException;
import tagger.worker.inference.Device;
import tagger.worker.inference.OnnxTagger;
import tagger.worker.model.ModelDirectory;

/**
 * {@code ./tagger bench decode}: per image size, the CPU one image costs on each path, measured in
 * one run on one thread — today's worker (ImageIO), the worker with libjpeg-turbo, the api-server's
 * edge preprocessing (decode + resize + 4:4:4 JPEG) and the worker on the edge payload — plus the
 * payload's size and how well the edge path agrees with the worker path (tensor PSNR, top-1).
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decode/preprocess CPU per image: worker (ImageIO, turbojpeg) vs edge, payload bytes, agreement.")
final class DecodeCommand implements Callable<Integer> {
    private static final long MAX_PIXELS = 50_000_000;

    @Option(names = "--model", defaultValue = "mobilenetv2",
            description = "mobilenetv2 | resnet50 | demo (default: ${DEFAULT-VALUE}).")
    BenchModel model;

    @Option(names = "--sizes", split = ",", defaultValue = "640x480,1920x1080,4000x3000",
            description = "JPEG sizes (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--images", defaultValue = "24",
            description = "Distinct photo-like JPEGs per size; each is measured once per path (default: ${DEFAULT-VALUE}).")
    int images;

    @Override
    public Integer call() {
        ModelDirectory dir = ModelDirectory.load(model.directory());
        PreprocessSpec spec = dir.spec().input().preprocess();
        TurboJpeg turbo = TurboJpeg.shared().orElseThrow(() -> new IllegalStateException(
                "bench decode compares against libjpeg-turbo: install the Debian package libturbojpeg0"));
        Preprocessor today = new Preprocessor(spec, MAX_PIXELS, null);
        Preprocessor worker = new Preprocessor(spec, MAX_PIXELS, turbo);
        EdgePreprocessor edge = new EdgePreprocessor(spec.pixels(), MAX_PIXELS, turbo);
        System.out.printf(Locale.ROOT, "bench decode: model %s, pixels %s, %d photo-like JPEGs per size, one thread%n",
                model, spec.pixels(), images);
        System.out.println("  machine: " + Machine.describe() + "; load average " + Machine.load());
        Table table = new Table("JPEG", "avg KB", "worker today (ImageIO) ms", "worker turbojpeg ms",
                "edge ms (decode+resize+encode)", "edge / today", "worker on payload ms", "payload KB median",
                "PSNR edge vs worker dB (min)", "top-1 agree");
        try (OnnxTagger tagger = OnnxTagger.open(dir, new OnnxTagger.Options(Device.CPU, 1))) {
            for (String size : sizes) {
                String[] wh = size.split("x");
                List<byte[]> jpegs = BenchImages.jpegs(images, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
                warm(today, worker, edge, jpegs.get(0));
                Row r = measure(today, worker, edge, tagger, spec, jpegs);
                table.row(size, Integer.toString(BenchImages.averageBytes(jpegs) / 1024),
                        fmt(r.today.median()), fmt(r.worker.median()), fmt(r.edge.median()),
                        String.format(Locale.ROOT, "%.2f", r.edge.median() / r.today.median()),
                        fmt(r.onPayload.median()), String.format(Locale.ROOT, "%.1f", r.bytes.median() / 1024),
                        String.format(Locale.ROOT, "%.1f (%.1f)", r.psnr.median(), r.psnr.min()),
                        String.format(Locale.ROOT, "%d/%d", r.agree, jpegs.size()));
            }
        }
        System.out.println();
        System.out.print(table.console());
        System.out.println("(ms = CPU time of the measuring thread per image, median; PSNR over the normalised tensor,"
                + " peak = the range of one channel)");
        System.out.println();
        System.out.println("Markdown:");
        System.out.print(table.markdown());
        return 0;
    }

    private record Row(Sample today, Sample worker, Sample edge, Sample onPayload, Sample bytes, Sample psnr, int agree) {
    }

    private static Row measure(Preprocessor today, Preprocessor worker, EdgePreprocessor edge, OnnxTagger tagger,
            PreprocessSpec spec, List<byte[]> jpegs) {
        ThreadCpu cpu = ThreadCpu.current();
        List<Double> t = new ArrayList<>(), w = new ArrayList<>(), e = new ArrayList<>(), p = new ArrayList<>();
        List<Double> bytes = new ArrayList<>(), psnr = new ArrayList<>();
        int agree = 0;
        int size = worker.tensorSize();
        try {
            for (byte[] jpeg : jpegs) {
                FloatBuffer a = FloatBuffer.allocate(size);
                FloatBuffer b = FloatBuffer.allocate(size);
                double s0 = cpu.seconds();
                today.preprocess(jpeg, "image/jpeg", FloatBuffer.allocate(size), 0);
                double s1 = cpu.seconds();
                worker.preprocess(jpeg, "image/jpeg", a, 0);
                double s2 = cpu.seconds();
                EdgePayload payload = edge.preprocess(jpeg);
                double s3 = cpu.seconds();
                worker.preprocess(payload.body(), payload.contentType(), b, 0);
                double s4 = cpu.seconds();
                t.add(1000 * (s1 - s0));
                w.add(1000 * (s2 - s1));
                e.add(1000 * (s3 - s2));
                p.add(1000 * (s4 - s3));
                bytes.add((double) payload.body().length);
                psnr.add(TensorPsnr.of(a, b, spec));
                agree += top1(tagger, a) == top1(tagger, b) ? 1 : 0;
            }
        } catch (UndecodableImageException ex) {
            throw new IllegalStateException("a generated benchmark image did not decode: " + ex.getMessage(), ex);
        }
        return new Row(Sample.of(t), Sample.of(w), Sample.of(e), Sample.of(p), Sample.of(bytes), Sample.of(psnr), agree);
    }

    private static void warm(Preprocessor today, Preprocessor worker, EdgePreprocessor edge, byte[] jpeg) {
        try {
            for (int i = 0; i < 20; i++) {
                today.preprocess(jpeg, "image/jpeg", FloatBuffer.allocate(today.tensorSize()), 0);
                worker.preprocess(jpeg, "image/jpeg", FloatBuffer.allocate(worker.tensorSize()), 0);
                EdgePayload payload = edge.preprocess(jpeg);
                worker.preprocess(payload.body(), payload.contentType(), FloatBuffer.allocate(worker.tensorSize()), 0);
            }
        } catch (UndecodableImageException ex) {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
    }

    private static int top1(OnnxTagger tagger, FloatBuffer tensor) {
        float[] row = tagger.run(tensor.duplicate().position(0), 1)[0];
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            best = row[i] > row[best] ? i : best;
        }
        return best;
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.2f", ms);
    }
}
