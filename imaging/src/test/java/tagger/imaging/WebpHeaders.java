package tagger.imaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The first bytes of WebP files of each chunk kind, built by hand from the WebP container spec. */
final class WebpHeaders {

    private WebpHeaders() {
    }

    /** Lossy: a VP8 key frame tag, start code 9d 01 2a, then 14-bit width and height (2 scale bits on top). */
    static byte[] vp8(int width, int height) {
        ByteBuffer chunk = le(10);
        chunk.put(new byte[] {0x10, 0x02, 0x00});            // frame tag: key frame, version 0, shown
        chunk.put(new byte[] {(byte) 0x9d, 0x01, 0x2a});
        chunk.putShort((short) (width | 0x4000));            // scale bits set: they must be masked off
        chunk.putShort((short) (height | 0x8000));
        return riff("VP8 ", chunk.array());
    }

    /** Lossless: signature 0x2f, then width-1 and height-1 in 14 bits each, alpha and version bits. */
    static byte[] vp8l(int width, int height) {
        ByteBuffer chunk = le(5);
        chunk.put((byte) 0x2f);
        chunk.putInt((width - 1) | (height - 1) << 14 | 1 << 28); // alpha_is_used = 1, version = 0
        return riff("VP8L", chunk.array());
    }

    /** Extended: flags, 3 reserved bytes, then canvas width-1 and height-1 in 24 bits each. */
    static byte[] vp8x(int width, int height) {
        ByteBuffer chunk = le(10);
        chunk.put((byte) 0x10);                              // alpha flag
        chunk.put(new byte[3]);
        put24(chunk, width - 1);
        put24(chunk, height - 1);
        return riff("VP8X", chunk.array());
    }

    private static byte[] riff(String fourCc, byte[] payload) {
        ByteBuffer file = le(20 + payload.length);
        file.put(ascii("RIFF")).putInt(12 + payload.length).put(ascii("WEBP"));
        file.put(ascii(fourCc)).putInt(payload.length).put(payload);
        return file.array();
    }

    private static void put24(ByteBuffer b, int value) {
        b.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
