package tagger.imaging;

import java.nio.charset.StandardCharsets;

/** Bounds-checked reads from an image's first bytes; running off the end means a truncated header. */
final class Header {
    private final byte[] bytes;
    private final ImageFormat format;

    Header(byte[] bytes) {
        this(bytes, null);
    }

    Header(byte[] bytes, ImageFormat format) {
        this.bytes = bytes;
        this.format = format;
    }

    int length() {
        return bytes.length;
    }

    boolean startsWith(int offset, byte[] magic) {
        if (bytes.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[offset + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    int u8(int at) {
        need(at, 1);
        return bytes[at] & 0xff;
    }

    int u16be(int at) {
        need(at, 2);
        return (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
    }

    int u16le(int at) {
        need(at, 2);
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    int u24le(int at) {
        need(at, 3);
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16;
    }

    long u32be(int at) {
        need(at, 4);
        return (long) u16be(at) << 16 | u16be(at + 2);
    }

    long u32le(int at) {
        need(at, 4);
        return u16le(at) | (long) u16le(at + 2) << 16;
    }

    int s32le(int at) {
        return (int) u32le(at);
    }

    String ascii(int at, int count) {
        need(at, count);
        return new String(bytes, at, count, StandardCharsets.ISO_8859_1);
    }

    /** The result, once the declared size has been checked for sense. */
    ImageInfo info(long width, long height) {
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw corrupt("declares " + width + "x" + height + " px");
        }
        return new ImageInfo(format, (int) width, (int) height);
    }

    ImageRejectedException corrupt(String what) {
        return HeaderReader.notAnImage("corrupt " + format + " header: " + what);
    }

    private void need(int at, int count) {
        if (at + count > bytes.length) {
            throw HeaderReader.notAnImage("truncated " + format + " header: needs " + (at + count)
                    + " bytes, body has " + bytes.length);
        }
    }
}
