package tagger.imaging;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * An image format the pipeline accepts, recognised by its magic bytes (never by the declared
 * content type) and decoded by one chosen ImageIO reader.
 */
public enum ImageFormat {
    JPEG("JPEG", "image/jpeg", "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"),
    PNG("PNG", "image/png", "com.sun.imageio.plugins.png.PNGImageReaderSpi"),
    GIF("GIF", "image/gif", "com.sun.imageio.plugins.gif.GIFImageReaderSpi"),
    BMP("BMP", "image/bmp", "com.sun.imageio.plugins.bmp.BMPImageReaderSpi"),
    WEBP("WebP", "image/webp", "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi");

    static final String SUPPORTED = "JPEG, PNG, GIF, BMP, WebP";

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
        // "BM" alone is weak; the header reader and the decoder reject anything that is not a real BMP header after it.
        if (startsWith(b, 0, 'B', 'M')) {
            return BMP;
        }
        return null;
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
                if (f.readerSpiClass.equals(spi.getClass().getName())) {
                    found.put(f, spi);
                }
            }
        }
        for (ImageFormat f : values()) {
            if (!found.containsKey(f)) {
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
