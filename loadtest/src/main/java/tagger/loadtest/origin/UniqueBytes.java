package tagger.loadtest.origin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Makes each served image byte-for-byte unique without re-encoding it: a JPEG comment segment
 * after SOI, or a PNG {@code tEXt} chunk after IHDR, carrying the request id. Decoders ignore both,
 * so every body costs one copy, and no cache keyed by URL or by content can help the server.
 */
final class UniqueBytes {
    private static final int PNG_AFTER_IHDR = 8 + 4 + 4 + 13 + 4;

    private UniqueBytes() {
    }

    static byte[] mark(byte[] image, Photo.Format format, String id) {
        return format == Photo.Format.JPEG ? jpeg(image, id) : png(image, id);
    }

    private static byte[] jpeg(byte[] image, String id) {
        if (image.length < 2 || (image[0] & 0xff) != 0xFF || (image[1] & 0xff) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG: no SOI marker");
        }
        byte[] text = ("tagger-loadtest " + id).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(image.length + 4 + text.length);
        out.put(image, 0, 2).put((byte) 0xFF).put((byte) 0xFE).putShort((short) (2 + text.length)).put(text);
        out.put(image, 2, image.length - 2);
        return out.array();
    }

    private static byte[] png(byte[] image, String id) {
        if (image.length < PNG_AFTER_IHDR || image[12] != 'I' || image[13] != 'H' || image[14] != 'D' || image[15] != 'R') {
            throw new IllegalArgumentException("not a PNG: IHDR is not the first chunk");
        }
        byte[] data = ("Comment\0tagger-loadtest " + id).getBytes(StandardCharsets.ISO_8859_1);
        byte[] type = "tEXt".getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(data);
        ByteBuffer out = ByteBuffer.allocate(image.length + 12 + data.length);
        out.put(image, 0, PNG_AFTER_IHDR);
        out.putInt(data.length).put(type).put(data).putInt((int) crc.getValue());
        out.put(image, PNG_AFTER_IHDR, image.length - PNG_AFTER_IHDR);
        return out.array();
    }
}
