package tagger.imaging;

/**
 * The eight EXIF orientations (TIFF tag 274): how the stored pixels must be turned to be seen
 * upright. Applied as a view on the decoded samples (different start offset and strides), so it
 * costs no pixel copy: the resize samples the stored pixels in the displayed order.
 */
public enum Orientation {
    /** 1: stored upright. */
    NORMAL(1),
    /** 2: stored mirrored left to right. */
    MIRROR_HORIZONTAL(2),
    /** 3: stored upside down. */
    ROTATE_180(3),
    /** 4: stored mirrored top to bottom. */
    MIRROR_VERTICAL(4),
    /** 5: stored transposed (mirrored along the main diagonal). */
    TRANSPOSE(5),
    /** 6: shown after turning the stored pixels 90° clockwise (the usual portrait photo from a phone). */
    ROTATE_90_CW(6),
    /** 7: stored transversed (mirrored along the anti-diagonal). */
    TRANSVERSE(7),
    /** 8: shown after turning the stored pixels 90° counter-clockwise. */
    ROTATE_90_CCW(8);

    private final int exifValue;

    Orientation(int exifValue) {
        this.exifValue = exifValue;
    }

    /** The value of the EXIF {@code Orientation} tag, 1..8. */
    public int exifValue() {
        return exifValue;
    }

    /** The orientation for an EXIF tag value; anything outside 1..8 (seen in the wild) is {@link #NORMAL}. */
    public static Orientation ofExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    /** Whether width and height swap when shown (5–8). */
    public boolean transposes() {
        return exifValue >= 5;
    }

    /** The stored samples seen upright: a view sharing their bytes, width and height swapped for 5–8. */
    DecodedImage.Samples apply(DecodedImage.Samples s) {
        if (this == NORMAL) {
            return s;
        }
        int[] v = view(s.width(), s.height(), s.base(), s.pixelStride(), s.rowStride());
        int width = transposes() ? s.height() : s.width();
        int height = transposes() ? s.width() : s.height();
        return new DecodedImage.Samples(s.data(), width, height, v[0], v[1], v[2], s.red(), s.green(), s.blue());
    }

    /**
     * Where displayed pixel (0, 0) and its neighbours lie in a stored raster: the view of a stored
     * (width × height) raster with the given start offset and strides, seen upright.
     *
     * @return {base, pixelStride, rowStride} of the upright view; its size is height × width when
     *         {@link #transposes()}
     */
    private int[] view(int width, int height, int base, int pixelStride, int rowStride) {
        int lastX = (width - 1) * pixelStride;
        int lastY = (height - 1) * rowStride;
        return switch (this) {
            case NORMAL -> new int[] {base, pixelStride, rowStride};
            case MIRROR_HORIZONTAL -> new int[] {base + lastX, -pixelStride, rowStride};
            case ROTATE_180 -> new int[] {base + lastX + lastY, -pixelStride, -rowStride};
            case MIRROR_VERTICAL -> new int[] {base + lastY, pixelStride, -rowStride};
            // shown (x, y) = stored (y, x)
            case TRANSPOSE -> new int[] {base, rowStride, pixelStride};
            // shown (x, y) = stored (y, height-1-x)
            case ROTATE_90_CW -> new int[] {base + lastY, -rowStride, pixelStride};
            // shown (x, y) = stored (width-1-y, height-1-x)
            case TRANSVERSE -> new int[] {base + lastX + lastY, -rowStride, -pixelStride};
            // shown (x, y) = stored (width-1-y, x)
            case ROTATE_90_CCW -> new int[] {base + lastX, rowStride, -pixelStride};
        };
    }
}
