package tagger.loadtest.origin;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tagger.fixtures.SampleImages;

/**
 * The synthetic photo corpus: photo-like pictures (gradient sky, soft shapes, sensor noise) generated
 * from a seed, a few variants per size and format, encoded once and kept; each request gets a
 * uniquely marked copy.
 */
public final class PhotoCorpus {
    /** JPEG quality of typical phone uploads. */
    private static final float JPEG_QUALITY = 0.85f;

    private final int variants;
    private final long seed;
    private final Map<String, byte[]> encoded = new ConcurrentHashMap<>();

    public PhotoCorpus(int variants, long seed) {
        if (variants < 1 || variants > 64) {
            throw new IllegalArgumentException("variants per photo kind must be 1..64, got " + variants);
        }
        this.variants = variants;
        this.seed = seed;
    }

    /** Generates every variant of these kinds now, so that generation never lands inside a measurement. */
    public void prepare(Collection<Photo> photos) {
        for (Photo p : photos) {
            for (int v = 0; v < variants; v++) {
                base(p, v);
            }
        }
    }

    /** Variant {@code variant} of a kind, encoded (shared; do not modify). */
    byte[] base(Photo photo, int variant) {
        return encoded.computeIfAbsent(photo + "#" + variant, k -> {
            var image = SampleImages.photoLike(photo.width(), photo.height(), seed * 1_000_003 + variant * 7919L
                    + photo.width() * 31L + photo.height());
            return photo.format() == Photo.Format.JPEG ? SampleImages.jpeg(image, JPEG_QUALITY) : SampleImages.png(image);
        });
    }

    /** A unique body for request {@code id}: a variant chosen by the id, marked with it. */
    public byte[] unique(Photo photo, long id) {
        return unique(photo, Long.toString(id));
    }

    byte[] unique(Photo photo, String id) {
        return UniqueBytes.mark(base(photo, Math.floorMod(id.hashCode(), variants)), photo.format(), id);
    }

    /** Average encoded size of a kind's variants generated so far, 0 when none. */
    public long averageBytes(Photo photo) {
        long sum = 0;
        int n = 0;
        for (int v = 0; v < variants; v++) {
            byte[] b = encoded.get(photo + "#" + v);
            if (b != null) {
                sum += b.length;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
