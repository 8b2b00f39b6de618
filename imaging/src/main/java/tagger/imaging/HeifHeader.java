package tagger.imaging;

/**
 * Reads a HEIC or AVIF image's size from its ISO-BMFF boxes: the image spatial extents
 * ({@code ispe}) properties in {@code meta/iprp/ipco}.
 *
 * <p>A file holds one {@code ispe} per coded item: for a grid image (how iPhones store photos) the
 * grid's full size and one per 512×512 tile, plus thumbnails. The largest is the primary image's
 * size or bigger, so checking it against the pixel cap never lets a bigger image through.
 */
final class HeifHeader {

    private HeifHeader() {
    }

    static ImageInfo read(Header h) {
        long[] largest = {0, 0};
        walk(h, 0, h.length(), largest, 0);
        if (largest[0] == 0) {
            throw h.corrupt("no image size (ispe box) in its meta box");
        }
        return h.info(largest[0], largest[1]);
    }

    /** Visits the boxes in [from, to), descending into the containers that lead to {@code ispe}. */
    private static void walk(Header h, long from, long to, long[] largest, int depth) {
        long pos = from;
        while (pos + 8 <= to) {
            long size = h.u32be((int) pos);
            String type = h.ascii((int) pos + 4, 4);
            int headerSize = 8;
            if (size == 1) {
                size = h.u32be((int) pos + 8) << 32 | h.u32be((int) pos + 12);
                headerSize = 16;
            } else if (size == 0) {
                size = to - pos; // to the end of the enclosing box
            }
            if (size < headerSize || pos + size > Integer.MAX_VALUE) {
                throw h.corrupt("box '" + type + "' at byte " + pos + " has size " + size);
            }
            long body = pos + headerSize;
            // only the path meta/iprp/ipco/ispe is followed, so hostile nesting cannot recurse deeper than three
            switch (depth + ":" + type) {
                case "0:meta" -> walk(h, body + 4, Math.min(to, pos + size), largest, 1); // full box: version, flags
                case "1:iprp" -> walk(h, body, Math.min(to, pos + size), largest, 2);
                case "2:ipco" -> walk(h, body, Math.min(to, pos + size), largest, 3);
                case "3:ispe" -> {
                    long width = h.u32be((int) body + 4);
                    long height = h.u32be((int) body + 8);
                    if (width * height > largest[0] * largest[1]) {
                        largest[0] = width;
                        largest[1] = height;
                    }
                }
                default -> { }
            }
            if (depth == 0 && type.equals("meta")) {
                return; // the image data (mdat) after it need not be read
            }
            pos += size;
        }
    }
}
