package tagger.imaging;

import java.util.Locale;
import tagger.common.ErrorCode;

/** Format and dimensions of an image, read from its first bytes without decoding it. */
public record ImageInfo(ImageFormat format, int width, int height) {

    /**
     * 40 megapixels: above any phone or consumer camera photo (about 8000x5000), far below the sizes
     * where a decoder's buffers threaten the heap (a 40 MP RGB raster is 120 MB).
     */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    public long pixels() {
        return (long) width * height;
    }

    /**
     * Identifies the format by magic bytes (never by Content-Type) and reads the dimensions from the
     * header.
     *
     * @throws ImageRejectedException {@code NOT_AN_IMAGE} for an unsupported format or a truncated or
     *                                corrupt header
     */
    public static ImageInfo read(byte[] bytes) {
        return HeaderReader.read(bytes);
    }

    /**
     * Returns this image if it has at most {@code maxPixels} pixels.
     *
     * @throws ImageRejectedException {@code TOO_MANY_PIXELS}, e.g. "image is 40000x30000 px (1200.0 MP), limit 40.0 MP"
     */
    public ImageInfo requireAtMostPixels(long maxPixels) {
        if (pixels() > maxPixels) {
            throw new ImageRejectedException(ErrorCode.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                    "image is %dx%d px (%.1f MP), limit %.1f MP", width, height, pixels() / 1e6, maxPixels / 1e6));
        }
        return this;
    }
}
