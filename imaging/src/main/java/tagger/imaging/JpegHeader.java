package tagger.imaging;

/**
 * Finds a JPEG's frame header (SOFn) by walking its marker segments and reads the size from it.
 *
 * <p>The size is not at a fixed offset: EXIF, ICC profiles and thumbnails in APPn segments come first
 * and can be tens of kilobytes long, so each segment's length is read and skipped.
 */
final class JpegHeader {
    private static final int SOS = 0xda;
    private static final int EOI = 0xd9;

    private JpegHeader() {
    }

    static ImageInfo read(Header h) {
        int pos = 2; // after SOI
        while (true) {
            if (h.u8(pos) != 0xff) {
                throw h.corrupt("expected a marker at byte " + pos + ", found 0x" + Integer.toHexString(h.u8(pos)));
            }
            while (h.u8(pos) == 0xff) {
                pos++; // any number of 0xff fill bytes may precede a marker
            }
            int marker = h.u8(pos++);
            if (isStartOfFrame(marker)) {
                // segment: length(2) precision(1) height(2) width(2)
                int height = h.u16be(pos + 3);
                int width = h.u16be(pos + 5);
                if (height == 0) {
                    throw h.corrupt("height 0 (to be set by a later DNL marker) is not supported");
                }
                return h.info(width, height);
            }
            if (marker == SOS || marker == EOI) {
                throw h.corrupt("no frame header (SOF) before marker 0xff" + Integer.toHexString(marker));
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                continue; // TEM, RSTn and SOI stand alone, with no length
            }
            if (marker == 0x00) {
                throw h.corrupt("stray 0xff00 at byte " + (pos - 2));
            }
            int length = h.u16be(pos);
            if (length < 2) {
                throw h.corrupt("segment 0xff" + Integer.toHexString(marker) + " at byte " + (pos - 2)
                        + " has length " + length);
            }
            pos += length;
        }
    }

    /** SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }
}
