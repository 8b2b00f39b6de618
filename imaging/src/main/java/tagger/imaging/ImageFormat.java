package tagger.imaging;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * An image format the pipeline accepts, recognised by its magic bytes (never by the declared
 * content type) and decoded by one chosen ImageIO reader, or by libheif for HEIC and AVIF.
 */
public enum ImageFormat {
    JPEG("JPEG", "image/jpeg", "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"),
    PNG("PNG", "image/png", "com.sun.imageio.plugins.png.PNGImageReaderSpi"),
    GIF("GIF", "image/gif", "com.sun.imageio.plugins.gif.GIFImageReaderSpi"),
    BMP("BMP", "image/bmp", "com.sun.imageio.plugins.bmp.BMPImageReaderSpi"),
    WEBP("WebP", "image/webp", "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi"),
    TIFF("TIFF", "image/tiff", "com.sun.imageio.plugins.tiff.TIFFImageReaderSpi"),
    /** HEIF with an HEVC image (iPhone photos); decoded by libheif, no ImageIO reader. */
    HEIC("HEIC", "image/heic", null),
    /** HEIF with an AV1 image; decoded by libheif, no ImageIO reader. */
    AVIF("AVIF", "image/avif", null);

    /** Every format's display name, for messages that say what is accepted. */
    public static final String SUPPORTED = "JPEG, PNG, GIF, BMP, WebP, TIFF, HEIC, AVIF";

    /** TwelveMonkeys' JPEG reader: only for 4-component (CMYK, YCCK) JPEGs, which the JDK's refuses. */
    static final String CMYK_JPEG_READER = "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi";

    private final String displayName;
    private final String mimeType;
    private final String readerSpiClass;

    ImageFormat(String displayName, String mimeType, String readerSpiClass) {
        this.displayName = displayName;
        this.mimeType = mimeType;
        this.readerSpiClass = readerSpiClass;
    }

    /** The name used in messages to callers, e.g. {@code WebP}. */
    public String displayName() {
        return displayName;
    }

    public String mimeType() {
        return mimeType;
    }

    /** Whether libheif decodes it (HEIC, AVIF) rather than an ImageIO reader. */
    boolean isHeif() {
        return readerSpiClass == null;
    }

    /**
     * The format the bytes announce by their magic number, or {@code null}. Only the magic is
     * checked: whether the header after it makes sense is for {@link ImageInfo#read} or the decoder.
     */
    public static ImageFormat sniff(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return GIF;
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        if (startsWith(b, 0, 'I', 'I', '*', 0) || startsWith(b, 0, 'M', 'M', 0, '*')) {
            return TIFF;
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return heifBrand(b);
        }
        // "BM" alone is weak; the header reader and the decoder reject anything that is not a real BMP header after it.
        if (startsWith(b, 0, 'B', 'M')) {
            return BMP;
        }
        return null;
    }

    /**
     * HEIC or AVIF from an ISO-BMFF {@code ftyp} box: the major brand, else the compatible brands
     * (a generic {@code mif1} file says in them which codec it holds). Other ISO-BMFF files (MP4
     * video, JPEG 2000) are not images we read.
     */
    private static ImageFormat heifBrand(byte[] b) {
        long size = (b[0] & 0xFFL) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        int end = (int) Math.min(size, b.length);
        ImageFormat found = brand(b, 8);
        for (int at = 16; found == null && at + 4 <= end; at += 4) {
            found = brand(b, at);
        }
        return found;
    }

    private static ImageFormat brand(byte[] b, int at) {
        if (at + 4 > b.length) {
            return null;
        }
        String brand = new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        return switch (brand) {
            case "avif", "avis" -> AVIF;
            case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs" -> HEIC;
            default -> null;
        };
    }

    /**
     * The provider of an ImageIO reader by class name.
     *
     * @throws IllegalStateException naming the missing provider (a packaging mistake, found at startup)
     */
    static ImageReaderSpi provider(String spiClass) {
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false);
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            if (spiClass.equals(spi.getClass().getName())) {
                return spi;
            }
        }
        throw new IllegalStateException("no ImageIO reader provider " + spiClass + " is registered (missing from the class path?)");
    }

    /**
     * Finds each format's reader provider by class. Picking the reader explicitly keeps the JDK's
     * libjpeg-turbo reader on the hot path even if another plugin (e.g. TwelveMonkeys imageio-jpeg)
     * registers itself first, and skips ImageIO's per-call provider probing.
     *
     * @throws IllegalStateException naming the missing provider (a packaging mistake, found at startup)
     */
    static Map<ImageFormat, ImageReaderSpi> readers() {
        Map<ImageFormat, ImageReaderSpi> found = new EnumMap<>(ImageFormat.class);
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false);
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            for (ImageFormat f : values()) {
                if (spi.getClass().getName().equals(f.readerSpiClass)) {
                    found.put(f, spi);
                }
            }
        }
        for (ImageFormat f : values()) {
            if (!f.isHeif() && !found.containsKey(f)) {
                throw new IllegalStateException("no ImageIO reader for " + f.displayName + ": provider "
                        + f.readerSpiClass + " is not registered (missing from the class path?)");
            }
        }
        return found;
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b == null || b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
