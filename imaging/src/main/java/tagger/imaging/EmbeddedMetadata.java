package tagger.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What a photo's container says about showing its pixels: the EXIF orientation, the embedded ICC
 * colour profile and, for JPEG, the number of colour components (4 = CMYK or YCCK).
 *
 * <p>Read by walking the container's segments or chunks (JPEG APPn, PNG chunks, WebP RIFF chunks,
 * the first TIFF directory) without decoding anything. Broken or missing metadata is never an
 * error: the image is then shown as stored, in sRGB, as browsers do.
 *
 * @param orientation    EXIF orientation, {@link Orientation#NORMAL} when absent
 * @param iccProfile     the embedded ICC profile's bytes, or {@code null}
 * @param jpegComponents colour components of a JPEG frame (1, 3 or 4), 0 for other formats
 */
record EmbeddedMetadata(Orientation orientation, byte[] iccProfile, int jpegComponents) {

    static final EmbeddedMetadata NONE = new EmbeddedMetadata(Orientation.NORMAL, null, 0);

    /** A decompressed profile larger than this is ignored: real ones are a few kB (at most ~1 MB for big LUTs). */
    static final int MAX_ICC_BYTES = 4 << 20;

    /** Reads JPEG, PNG, WebP and TIFF metadata; other formats (and unreadable metadata) give {@link #NONE}. */
    static EmbeddedMetadata read(byte[] b) {
        try {
            if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
                return jpeg(b);
            }
            if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
                return png(b);
            }
            if (b.length > 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
                return webp(b);
            }
            if (b.length > 8 && (ascii(b, 0, 4).equals("II*\0") || ascii(b, 0, 4).equals("MM\0*"))) {
                Tiff tiff = new Tiff(b, 0, b.length);
                return new EmbeddedMetadata(Orientation.ofExif(tiff.orientation()), tiff.iccProfile(), 0);
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // metadata runs off the end or is nonsense: show the pixels as stored; the decoder judges the image
        }
        return NONE;
    }

    private static EmbeddedMetadata jpeg(byte[] b) {
        int pos = 2;
        Orientation orientation = Orientation.NORMAL;
        byte[][] iccChunks = null;
        int components = 0;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xff) != 0xff) {
                break;
            }
            int marker = b[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                pos += 2;
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                break; // entropy-coded data follows: all metadata that matters comes before it
            }
            int length = u16be(b, pos + 2);
            int data = pos + 4;
            int size = Math.min(length - 2, b.length - data);
            if (marker == 0xe1 && size > 14 && ascii(b, data, 6).equals("Exif\0\0")) {
                orientation = Orientation.ofExif(new Tiff(b, data + 6, size - 6).orientation());
            } else if (marker == 0xe2 && size > 14 && ascii(b, data, 12).equals("ICC_PROFILE\0")) {
                // a profile over 64 kB is split into numbered chunks: (sequence 1..n, count n)
                int seq = b[data + 12] & 0xff;
                int count = b[data + 13] & 0xff;
                if (iccChunks == null && count > 0) {
                    iccChunks = new byte[count][];
                }
                if (iccChunks != null && count == iccChunks.length && seq >= 1 && seq <= count) {
                    iccChunks[seq - 1] = java.util.Arrays.copyOfRange(b, data + 14, data + size);
                }
            } else if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc && size > 6) {
                components = b[data + 5] & 0xff;
            }
            pos += 2 + length;
        }
        return new EmbeddedMetadata(orientation, joined(iccChunks), components);
    }

    private static byte[] joined(byte[][] chunks) {
        if (chunks == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            if (chunk == null) {
                return null; // a missing chunk: a partial profile is worse than none
            }
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    private static EmbeddedMetadata png(byte[] b) {
        int pos = 8;
        Orientation orientation = Orientation.NORMAL;
        byte[] icc = null;
        while (pos + 8 <= b.length) {
            long length = u32be(b, pos);
            String type = ascii(b, pos + 4, 4);
            int data = pos + 8;
            if (type.equals("IDAT") || type.equals("IEND") || length > b.length - data) {
                break;
            }
            if (type.equals("iCCP")) {
                int nameEnd = data;
                while (nameEnd < data + length && b[nameEnd] != 0) {
                    nameEnd++;
                }
                int compressed = nameEnd + 2; // NUL, compression method (0 = zlib)
                icc = inflate(b, compressed, (int) (data + length - compressed));
            } else if (type.equals("eXIf")) {
                orientation = Orientation.ofExif(new Tiff(b, data, (int) length).orientation());
            }
            pos = data + (int) length + 4; // data, CRC
        }
        return new EmbeddedMetadata(orientation, icc, 0);
    }

    private static EmbeddedMetadata webp(byte[] b) {
        int pos = 12;
        Orientation orientation = Orientation.NORMAL;
        byte[] icc = null;
        while (pos + 8 <= b.length) {
            String type = ascii(b, pos, 4);
            long length = u32le(b, pos + 4);
            int data = pos + 8;
            if (length > b.length - data) {
                break;
            }
            if (type.equals("ICCP")) {
                icc = java.util.Arrays.copyOfRange(b, data, data + (int) length);
            } else if (type.equals("EXIF")) {
                int start = data;
                if (length > 6 && ascii(b, data, 6).equals("Exif\0\0")) {
                    start += 6; // some writers keep the JPEG APP1 prefix
                }
                orientation = Orientation.ofExif(new Tiff(b, start, (int) (data + length - start)).orientation());
            }
            pos = data + (int) length + (int) (length & 1); // chunks are padded to even sizes
        }
        return new EmbeddedMetadata(orientation, icc, 0);
    }

    private static byte[] inflate(byte[] b, int offset, int length) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, offset, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_ICC_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** The first image directory (IFD0) of a TIFF structure: a TIFF file or an EXIF block. */
    private record Tiff(byte[] b, int start, int length) {

        int orientation() {
            long[] entry = find(274);
            return entry == null || entry[0] != 3 ? 1 : (int) entry[2]; // SHORT, value inline
        }

        byte[] iccProfile() {
            long[] entry = find(34675); // InterColorProfile, UNDEFINED bytes at an offset
            if (entry == null || entry[1] < 4 || entry[1] > MAX_ICC_BYTES || entry[3] + entry[1] > length) {
                return null;
            }
            int from = start + (int) entry[3];
            return java.util.Arrays.copyOfRange(b, from, from + (int) entry[1]);
        }

        /** {type, count, first SHORT value, value offset} of the tag in IFD0, or {@code null}. */
        private long[] find(int tag) {
            if (length < 8) {
                return null;
            }
            boolean little = b[start] == 'I';
            long ifd = u32(4, little);
            if (ifd < 8 || ifd + 2 > length) {
                return null;
            }
            int entries = u16(ifd, little);
            for (int i = 0; i < entries; i++) {
                long e = ifd + 2 + 12L * i;
                if (e + 12 > length) {
                    return null;
                }
                if (u16(e, little) == tag) {
                    return new long[] {u16(e + 2, little), u32(e + 4, little), u16(e + 8, little), u32(e + 8, little)};
                }
            }
            return null;
        }

        private int u16(long at, boolean little) {
            int i = start + (int) at;
            return little ? (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 : u16be(b, i);
        }

        private long u32(long at, boolean little) {
            int i = start + (int) at;
            return little ? u32le(b, i) : u32be(b, i);
        }
    }

    private static int u16be(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static long u32be(byte[] b, int i) {
        return (long) u16be(b, i) << 16 | u16be(b, i + 2);
    }

    private static long u32le(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (long) (b[i + 3] & 0xff) << 24;
    }

    private static String ascii(byte[] b, int at, int count) {
        return new String(b, at, count, StandardCharsets.ISO_8859_1);
    }
}
