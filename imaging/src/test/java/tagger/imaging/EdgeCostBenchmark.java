package tagger.imaging;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tagger.testkit.SampleImages;

/**
 * Where the edge path's CPU goes for a 12 MP JPEG, stage by stage, and what TurboJPEG flags and
 * native buffers change: thread CPU time, one thread, every variant on the same photos in
 * interleaved rounds. Not a test; run it with
 * {@code mvn -B -o -pl imaging -am verify -Dtest=EdgeCostBenchmark -Dbench.edge=true -Dsurefire.failIfNoSpecifiedTests=false}
 * and read {@code imaging/target/edge-cost-benchmark.txt}.
 */
@EnabledIfSystemProperty(named = "bench.edge", matches = "true")
@Timeout(value = 30, unit = TimeUnit.MINUTES) // a measurement, not a test: the suite's default bound does not apply
class EdgeCostBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final int TJFLAG_FASTUPSAMPLE = 256;
    static final int TJFLAG_FASTDCT = 2048;

    /** The same functions taking native memory instead of Java arrays (no JNA copies in and back). */
    interface NativeLib extends Library {
        Pointer tjInitDecompress();

        int tjDestroy(Pointer handle);

        int tjDecompressHeader3(Pointer handle, Pointer jpeg, NativeLong size, IntByReference width,
                IntByReference height, IntByReference subsamp, IntByReference colorspace);

        int tjDecompress2(Pointer handle, Pointer jpeg, NativeLong size, Pointer dst, int width, int pitch,
                int height, int pixelFormat, int flags);

        int tjDecompress2(Pointer handle, byte[] jpeg, NativeLong size, byte[] dst, int width, int pitch,
                int height, int pixelFormat, int flags);
    }

    @Test
    void measure() throws Exception {
        int count = Integer.getInteger("bench.edge.images", 8);
        int rounds = Integer.getInteger("bench.edge.rounds", 5);
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            photos.add(SampleImages.jpeg(SampleImages.photoLike(4000, 3000, 1000 + i)));
        }
        TurboJpeg turbo = TurboJpeg.shared().orElseThrow();
        NativeLib nat = Native.load(turbo.libraryFile(), NativeLib.class);
        PixelSpec pixels = PhotoFormatsTestSpec.SPEC.pixels();
        EdgePreprocessor edge = new EdgePreprocessor(pixels, 50_000_000, turbo);
        Preprocessor today = new Preprocessor(PhotoFormatsTestSpec.SPEC, 50_000_000, null);
        Preprocessor resize = new Preprocessor(pixels.asIdentityPreprocessing(), 50_000_000, turbo);
        TurboJpeg.ScalingFactor eighth = new TurboJpeg.ScalingFactor(1, 8);
        java.nio.FloatBuffer tensor = java.nio.FloatBuffer.allocate(today.tensorSize());

        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("worker today (ImageIO), whole", b -> today.preprocess(b, "image/jpeg", tensor, 0));
        variants.put("edge, whole (decode + resize + encode)", edge::preprocess);
        variants.put("  ImageInfo.read", ImageInfo::read);
        variants.put("  EmbeddedMetadata.read", EmbeddedMetadata::read);
        variants.put("  TurboJpeg.decode 1/8 (header + decompress)", b -> turbo.decode(b, eighth));
        variants.put("  decompress only, byte[] args, flags 0", b -> decompress(nat, b, 0, false));
        variants.put("  decompress only, native memory, flags 0", b -> decompress(nat, b, 0, true));
        variants.put("  decompress only, native memory, FASTUPSAMPLE", b -> decompress(nat, b, TJFLAG_FASTUPSAMPLE, true));
        variants.put("  decompress only, native memory, FASTDCT|FASTUPSAMPLE",
                b -> decompress(nat, b, TJFLAG_FASTDCT | TJFLAG_FASTUPSAMPLE, true));
        DecodedImage[] decoded = new DecodedImage[1];
        byte[][] rgb = new byte[1][];
        variants.put("  resize (pixels) after 1/8 decode", b -> {
            rgb[0] = edge.pixels(decoded[0]);
            return rgb[0];
        });
        variants.put("  encode 224x224 4:4:4 q95", b -> turbo.encode444(rgb[0], 224, 224, 95));

        Map<String, List<Double>> ms = new LinkedHashMap<>();
        variants.keySet().forEach(k -> ms.put(k, new ArrayList<>()));
        for (int r = -2; r < rounds; r++) {
            for (byte[] photo : photos) {
                decoded[0] = resize.decode(photo, "image/jpeg");
                for (Map.Entry<String, Variant> v : variants.entrySet()) {
                    long start = THREADS.getCurrentThreadCpuTime();
                    v.getValue().run(photo);
                    double took = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
                    if (r >= 0) {
                        ms.get(v.getKey()).add(took);
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "12 MP photo-like JPEGs (%d, %d KB average), thread CPU ms, median of %d rounds%n", count,
                photos.stream().mapToInt(p -> p.length).sum() / count / 1024, rounds));
        ms.forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-58s %7.2f%n", k, median(v))));
        System.out.print(out);
        Files.writeString(Path.of("target", "edge-cost-benchmark.txt"), out.toString());
    }

    private static Object decompress(NativeLib nat, byte[] jpeg, int flags, boolean nativeMemory) {
        Pointer h = nat.tjInitDecompress();
        try {
            int w = 500;
            int hh = 375;
            if (nativeMemory) {
                Memory src = new Memory(jpeg.length);
                src.write(0, jpeg, 0, jpeg.length);
                Memory dst = new Memory(3L * w * hh);
                if (nat.tjDecompress2(h, src, new NativeLong(jpeg.length), dst, w, 0, hh, 0, flags) != 0) {
                    throw new IllegalStateException("decompress failed");
                }
                byte[] rgb = dst.getByteArray(0, 3 * w * hh);
                src.close();
                dst.close();
                return rgb;
            }
            byte[] rgb = new byte[3 * w * hh];
            if (nat.tjDecompress2(h, jpeg, new NativeLong(jpeg.length), rgb, w, 0, hh, 0, flags) != 0) {
                throw new IllegalStateException("decompress failed");
            }
            return rgb;
        } finally {
            nat.tjDestroy(h);
        }
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }

    interface Variant {
        Object run(byte[] jpeg) throws Exception;
    }
}
