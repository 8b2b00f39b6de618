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
 * encoding, one thread, median of interleaved rounds after two warm-up rounds. Not a test; run it with
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
        Preprocessor turbo = new Preprocessor(PhotoFormatsTestSpec.SPEC, 50_000_000);
        Preprocessor imageio = new Preprocessor(PhotoFormatsTestSpec.SPEC, 50_000_000, null);
        List<Case> cases = new ArrayList<>(List.of(
                new Case("JPEG, libjpeg-turbo (DCT-scaled)", jpeg, () -> run(turbo, jpeg)),
                new Case("JPEG, EXIF orientation 6, libjpeg-turbo", rotated, () -> run(turbo, rotated)),
                new Case("JPEG, Display P3 profile, libjpeg-turbo", p3, () -> run(turbo, p3)),
                new Case("JPEG, ImageIO (subsampled)", jpeg, () -> run(imageio, jpeg)),
                new Case("JPEG, EXIF orientation 6, ImageIO", rotated, () -> run(imageio, rotated)),
                new Case("JPEG, Display P3 profile, ImageIO", p3, () -> run(imageio, p3)),
                new Case("PNG, ImageIO", png, () -> run(imageio, png))));
        SrgbConversion toSrgb = SrgbConversion.forProfile(IccProfiles.displayP3());
        for (int[] size : new int[][] {{500, 375}, {800, 600}}) {
            byte[] rgb = new byte[3 * size[0] * size[1]];
            cases.add(new Case("P3 to sRGB alone, " + size[0] + "x" + size[1] + " decoded samples", rgb,
                    () -> toSrgb.apply(rgb, size[0], size[1], 0, 3, 3 * size[0], 0, 1, 2)));
        }
        if (!"false".equals(System.getProperty("bench.photos.heif"))) {
            byte[] heic = PhotoCorpus.heif(photo, false);
            byte[] avif = PhotoCorpus.heif(photo, true);
            ImageDecoder inProcess = new ImageDecoder(ImageFormat.readers(), 50_000_000,
                    new TensorWriter(PhotoFormatsTestSpec.SPEC)::subsampling, null);
            cases.add(new Case("HEIC, libheif in a child process", heic, () -> run(turbo, heic)));
            cases.add(new Case("HEIC, libheif in this process", heic, () -> inProcess.decode(heic, "image/heic")));
            cases.add(new Case("AVIF, libheif in a child process", avif, () -> run(turbo, avif)));
            cases.add(new Case("AVIF, libheif in this process", avif, () -> inProcess.decode(avif, "image/avif")));
        }
        int rounds = Integer.getInteger("bench.photos.rounds", 9);
        // interleaved: every round runs every case once, so all of them see the same machine
        double[][] ms = new double[cases.size()][rounds + 2];
        for (int r = 0; r < rounds + 2; r++) {
            for (int c = 0; c < cases.size(); c++) {
                long start = System.nanoTime();
                cases.get(c).step().run();
                ms[c][r] = (System.nanoTime() - start) / 1e6;
            }
        }
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "%-48s %9s %10s", "12 MP (4000x3000) photo to a 224x224 crop", "bytes", "ms/image"));
        for (int c = 0; c < cases.size(); c++) {
            double[] measured = Arrays.copyOfRange(ms[c], 2, rounds + 2); // the first two rounds warm up
            Arrays.sort(measured);
            rows.add(String.format(Locale.ROOT, "%-48s %9d %10.1f", cases.get(c).name(), cases.get(c).bytes().length,
                    measured[rounds / 2]));
        }
        String table = String.join("\n", rows) + "\n";
        System.out.print(table);
        Files.writeString(Path.of("target", "photo-decode-benchmark.txt"), table);
    }

    private record Case(String name, byte[] bytes, Step step) {
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(Preprocessor p, byte[] image) throws UndecodableImageException {
        p.preprocess(image, "image/*", FloatBuffer.allocate(p.tensorSize()), 0);
    }
}
