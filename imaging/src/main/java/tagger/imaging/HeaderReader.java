package tagger.imaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import tagger.common.ErrorCode;

/**
 * Reads format and dimensions from the headers of JPEG, PNG, GIF, WebP, BMP, TIFF, HEIC and AVIF files.
 *
 * <p>Only headers are read, so a file that claims 65535x65535 px is refused before any decoder
 * allocates a raster for it.
 */
final class HeaderReader {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] GIF87 = ascii("GIF87a");
    private static final byte[] GIF89 = ascii("GIF89a");
    private static final byte[] RIFF = ascii("RIFF");

    private HeaderReader() {
    }

    static ImageInfo read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw notAnImage("body is empty, not an image");
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format != null) {
            Header h = new Header(bytes, format);
            return switch (format) {
                case JPEG -> JpegHeader.read(h);
                case PNG -> png(h);
                case GIF -> h.info(h.u16le(6), h.u16le(8)); // logical screen size
                case WEBP -> webp(h);
                case BMP -> bmp(h);
                case TIFF -> TiffHeader.read(h);
                case HEIC, AVIF -> HeifHeader.read(h);
            };
        }
        Header h = new Header(bytes);
        for (byte[] magic : new byte[][] {JPEG, PNG, GIF87, GIF89, RIFF}) {
            if (bytes.length < magic.length && h.startsWith(0, Arrays.copyOf(magic, bytes.length))) {
                throw notAnImage("body is only " + bytes.length + " bytes, too short to tell which image format it is");
            }
        }
        throw notAnImage("not a supported image (" + ImageFormat.SUPPORTED + "): " + describeStart(bytes));
    }

    private static ImageInfo png(Header h) {
        String firstChunk = h.ascii(12, 4);
        if (!firstChunk.equals("IHDR")) {
            throw h.corrupt("first chunk is '" + firstChunk + "', expected IHDR");
        }
        return h.info(h.u32be(16), h.u32be(20));
    }

    private static ImageInfo webp(Header h) {
        String chunk = h.ascii(12, 4);
        switch (chunk) {
            case "VP8 " -> { // lossy: a key frame's start code, then two 14-bit sizes
                if (h.u8(23) != 0x9d || h.u8(24) != 0x01 || h.u8(25) != 0x2a) {
                    throw h.corrupt("VP8 frame has no start code 9d 01 2a at byte 23");
                }
                return h.info(h.u16le(26) & 0x3fff, h.u16le(28) & 0x3fff);
            }
            case "VP8L" -> { // lossless: signature 0x2f, then width-1 and height-1 in 14 bits each
                if (h.u8(20) != 0x2f) {
                    throw h.corrupt("VP8L signature is 0x" + Integer.toHexString(h.u8(20)) + ", expected 0x2f");
                }
                long bits = h.u32le(21);
                return h.info((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
            }
            case "VP8X" -> { // extended: canvas width-1 and height-1 in 24 bits each
                return h.info(h.u24le(24) + 1, h.u24le(27) + 1);
            }
            default -> throw h.corrupt("unknown first chunk '" + chunk + "', expected VP8, VP8L or VP8X");
        }
    }

    private static ImageInfo bmp(Header h) {
        long dibSize = h.u32le(14);
        if (dibSize == 12) { // OS/2 BITMAPCOREHEADER: unsigned 16-bit sizes
            return h.info(h.u16le(18), h.u16le(20));
        }
        if (dibSize != 16 && dibSize != 40 && dibSize != 52 && dibSize != 56 && dibSize != 64
                && dibSize != 108 && dibSize != 124) {
            throw h.corrupt("DIB header size is " + dibSize + ", not one of 12, 16, 40, 52, 56, 64, 108, 124");
        }
        int width = h.s32le(18);
        int height = h.s32le(22);
        if (height == Integer.MIN_VALUE) {
            throw h.corrupt("height is " + height);
        }
        return h.info(width, Math.abs(height)); // negative height: rows stored top-down
    }

    /** Shows what the bytes were instead: quoted text if they read as text (an HTML error page), else hex. */
    static String describeStart(byte[] bytes) {
        int n = Math.min(bytes.length, 16);
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            text &= (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\r' || b == '\n';
        }
        if (text) {
            String start = new String(bytes, 0, n, StandardCharsets.US_ASCII)
                    .replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
            return "starts with '" + start + "'";
        }
        return "first bytes " + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n);
    }

    static ImageRejectedException notAnImage(String message) {
        return new ImageRejectedException(ErrorCode.NOT_AN_IMAGE, message);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
