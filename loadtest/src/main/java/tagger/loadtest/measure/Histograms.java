package tagger.loadtest.measure;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * How histograms travel in the JSON report: HdrHistogram's compressed encoding in base64, so that
 * levels and runs (or generators on several machines) can be merged exactly later instead of
 * averaging their percentiles.
 */
public final class Histograms {
    private Histograms() {
    }

    /** A fresh histogram of microseconds, 3 significant digits, growing as large values arrive. */
    public static Histogram micros() {
        return new Histogram(3);
    }

    public static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram: " + e.getMessage(), e);
        }
    }

    /** The exact union of several histograms: counts add, so every percentile of the whole is right. */
    public static Histogram merge(Iterable<Histogram> parts) {
        Histogram total = micros();
        for (Histogram h : parts) {
            total.add(h);
        }
        return total;
    }
}
