package tagger.imaging;

/** Reads a TIFF's size from the ImageWidth and ImageLength tags of its first image directory. */
final class TiffHeader {

    private static final int IMAGE_WIDTH = 256;
    private static final int IMAGE_LENGTH = 257;
    private static final int SHORT = 3;
    private static final int LONG = 4;

    private TiffHeader() {
    }

    static ImageInfo read(Header h) {
        boolean little = h.u8(0) == 'I';
        long ifd = little ? h.u32le(4) : h.u32be(4);
        if (ifd < 8 || ifd > Integer.MAX_VALUE - 2) {
            throw h.corrupt("first image directory at byte " + ifd);
        }
        int entries = u16(h, (int) ifd, little);
        long width = -1;
        long height = -1;
        for (int i = 0; i < entries; i++) {
            int e = (int) ifd + 2 + 12 * i;
            int tag = u16(h, e, little);
            if (tag != IMAGE_WIDTH && tag != IMAGE_LENGTH) {
                continue;
            }
            int type = u16(h, e + 2, little);
            long value = switch (type) {
                case SHORT -> u16(h, e + 8, little);
                case LONG -> little ? h.u32le(e + 8) : h.u32be(e + 8);
                default -> throw h.corrupt("tag " + tag + " has type " + type + ", expected SHORT or LONG");
            };
            if (tag == IMAGE_WIDTH) {
                width = value;
            } else {
                height = value;
            }
        }
        if (width < 0 || height < 0) {
            throw h.corrupt("first image directory has no ImageWidth and ImageLength tags");
        }
        return h.info(width, height);
    }

    private static int u16(Header h, int at, boolean little) {
        return little ? h.u16le(at) : h.u16be(at);
    }
}
