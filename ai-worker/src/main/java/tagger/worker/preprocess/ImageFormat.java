package tagger.worker.preprocess;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/** An image format the worker decodes, recognised by its magic bytes and read by one chosen ImageIO reader. */
enum ImageFormat {
    JPEG("JPEG", "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"),
    PNG("PNG", "com.sun.imageio.plugins.png.PNGImageReaderSpi"),
    GIF("GIF", "com.sun.imageio.plugins.gif.GIFImageReaderSpi"),
    BMP("BMP", "com.sun.imageio.plugins.bmp.BMPImageReaderSpi"),
    WEBP("WebP", "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi");

    static final String SUPPORTED = "JPEG, PNG, GIF, BMP, WebP";

    private final String displayName;
    private final String readerSpiClass;

    ImageFormat(String displayName, String readerSpiClass) {
        this.displayName = displayName;
        this.readerSpiClass = readerSpiClass;
    }

    String displayName() {
        return displayName;
    }

    /** The format the bytes announce, or {@code null}; the declared content type is never trusted. */
    static ImageFormat sniff(byte[] b) {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return GIF;
        }
        // "BM" alone is weak; the reader rejects anything that is not a real BMP header after it.
        if (startsWith(b, 'B', 'M') && b.length >= 26) {
            return BMP;
        }
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return WEBP;
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

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
