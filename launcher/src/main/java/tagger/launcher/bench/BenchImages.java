package tagger.launcher.bench;

import java.util.ArrayList;
import java.util.List;
import tagger.fixtures.SampleImages;

/** The JPEGs benchmarks send: photo-like pictures (sky, texture, shapes, sensor noise), quality 0.9. */
final class BenchImages {
    private BenchImages() {
    }

    /** {@code count} different photo-like JPEGs of one size, the same for every run (fixed seeds). */
    static List<byte[]> jpegs(int count, int width, int height) {
        List<byte[]> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(SampleImages.jpeg(SampleImages.photoLike(width, height, 1000 + i)));
        }
        return images;
    }

    static int averageBytes(List<byte[]> images) {
        long sum = 0;
        for (byte[] image : images) {
            sum += image.length;
        }
        return (int) (sum / images.size());
    }
}
