package tagger.imaging;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tagger.testkit.IccProfiles;
import tagger.testkit.PhotoCorpus;
import tagger.testkit.SampleImages;

/**
 * Per-format decode cost on one core for a 12 MP phone photo, and what orientation and colour
 * conversion add: {@code preprocess} (decode + resize to 224×224) of the same picture in each
 * encoding, one thread, median of several runs after warm-up. Not a test; run it with
 * {@code mvn -B -o -pl imaging -am verify -Dtest=PhotoDecodeBenchmark -Dbench.photos=true -Dsurefire.failIfNoSpecifiedTests=false}
 * and read {@code imaging/target/photo-decode-benchmark.txt}.
 */
@EnabledIfSystemProperty(named = "bench.photos", matches = "true")
class PhotoDecodeBenchmark {

    @Test
    void measure() throws Exception {
        BufferedImage photo = PhotoCorpus.upright(4000, 3000);
        byte[] jpeg = SampleImages.jpeg(photo, 0.9f);
        byte[] rotated = PhotoCorpus.withSegment(SampleImages.jpeg(PhotoCorpus.stored(photo, 6), 0.9f), 0xE1,
                PhotoCorpus.exifOrientation(6));
        byte[] p3 = PhotoCorpus.profiledJpeg(photo, IccProfiles.displayP3(), 0.9f);
        byte[] png = SampleImages.png(photo);
        byte[] heic = PhotoCorpus.heif(photo, false);
        byte[] avif = PhotoCorpus.heif(photo, true);

        Preprocessor turbo = new Preprocessor(PhotoFormatsTestSpec.SPEC, 50_000_000);
        Preprocessor imageio = new Preprocessor(PhotoFormatsTestSpec.SPEC, 50_000_000, null);
        ImageDecoder inProcessHeif = new ImageDecoder(ImageFormat.readers(), 50_000_000,
                new TensorWriter(PhotoFormatsTestSpec.SPEC)::subsampling, null);
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "%-44s %9s %10s", "12 MP (4000x3000) photo, 224x224 crop", "bytes", "ms/image"));
        rows.add(row("JPEG, libjpeg-turbo (DCT-scaled)", jpeg, () -> run(turbo, jpeg), 15));
        rows.add(row("JPEG, EXIF orientation 6, libjpeg-turbo", rotated, () -> run(turbo, rotated), 15));
        rows.add(row("JPEG, Display P3 profile, libjpeg-turbo", p3, () -> run(turbo, p3), 15));
        rows.add(row("JPEG, ImageIO (subsampled)", jpeg, () -> run(imageio, jpeg), 10));
        rows.add(row("JPEG, EXIF orientation 6, ImageIO", rotated, () -> run(imageio, rotated), 10));
        rows.add(row("JPEG, Display P3 profile, ImageIO", p3, () -> run(imageio, p3), 10));
        rows.add(row("PNG, ImageIO", png, () -> run(imageio, png), 5));
        rows.add(row("HEIC, libheif in a child process", heic, () -> run(turbo, heic), 5));
        rows.add(row("HEIC, libheif in this process", heic, () -> inProcessHeif.decode(heic, "image/heic"), 5));
        rows.add(row("AVIF, libheif in a child process", avif, () -> run(turbo, avif), 5));
        rows.add(row("AVIF, libheif in this process", avif, () -> inProcessHeif.decode(avif, "image/avif"), 5));
        SrgbConversion toSrgb = SrgbConversion.forProfile(IccProfiles.displayP3());
        for (int[] size : new int[][] {{500, 375}, {800, 600}}) {
            byte[] rgb = new byte[3 * size[0] * size[1]];
            rows.add(row("P3 to sRGB alone, " + size[0] + "x" + size[1] + " decoded samples", rgb,
                    () -> toSrgb.apply(rgb, size[0], size[1], 0, 3, 3 * size[0], 0, 1, 2), 15));
        }
        String table = String.join("\n", rows) + "\n";
        System.out.print(table);
        Files.writeString(Path.of("target", "photo-decode-benchmark.txt"), table);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(Preprocessor p, byte[] image) throws UndecodableImageException {
        p.preprocess(image, "image/*", FloatBuffer.allocate(p.tensorSize()), 0);
    }

    private static String row(String name, byte[] bytes, Step step, int runs) throws Exception {
        for (int i = 0; i < 3; i++) {
            step.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return String.format(Locale.ROOT, "%-44s %9d %10.1f", name, bytes.length, ms[runs / 2]);
    }
}
