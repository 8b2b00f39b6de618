package tagger.imaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this process can decode: each format with its decoder and whether that decoder is
 * installed here, plus how every decode shows a photo. Served as {@code GET /v1/formats}.
 */
public final class FormatSupport {

    private FormatSupport() {
    }

    /** One format: its display name, MIME type, decoder and whether the decoder could be loaded here. */
    public record Format(String format, String mimeType, String decoder, boolean available, String note) {
    }

    public static List<Format> formats() {
        List<Format> formats = new ArrayList<>();
        for (ImageFormat f : ImageFormat.values()) {
            formats.add(switch (f) {
                case JPEG -> new Format("JPEG", f.mimeType(), TurboJpeg.shared().isPresent()
                        ? "libjpeg-turbo (TurboJPEG, DCT-scaled), ImageIO fallback" : "ImageIO (JDK libjpeg)", true,
                        "CMYK and YCCK (Adobe APP14) through TwelveMonkeys imageio-jpeg");
                case PNG -> new Format("PNG", f.mimeType(), "ImageIO (JDK)", true, "16-bit, gray+alpha, palette+tRNS");
                case GIF -> new Format("GIF", f.mimeType(), "ImageIO (JDK)", true, "first frame of an animation");
                case BMP -> new Format("BMP", f.mimeType(), "ImageIO (JDK)", true, null);
                case WEBP -> new Format("WebP", f.mimeType(), "TwelveMonkeys imageio-webp", true, "first frame of an animation");
                case TIFF -> new Format("TIFF", f.mimeType(), "ImageIO (JDK)", true, "first image of the file");
                case HEIC, AVIF -> new Format(f.displayName(), f.mimeType(), HeifDecoder.available()
                        ? "libheif " + HeifDecoder.version() + " in child processes" : "libheif (not installed: "
                        + HeifDecoder.unavailableReason() + ")", HeifDecoder.available(),
                        "primary image, its rotation and mirror applied");
            });
        }
        return formats;
    }

    /** The whole answer of {@code GET /v1/formats}. */
    public static Map<String, Object> describe() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("formats", formats());
        body.put("orientation", "EXIF orientation 1-8 applied before resize and crop (HEIF: irot/imir)");
        body.put("colour", "embedded RGB ICC profiles (Adobe RGB, Display P3, ...) converted to sRGB; no profile means sRGB");
        body.put("transparency", "composited onto white");
        body.put("animation", "first frame");
        body.put("sniffing", "by magic bytes; the declared Content-Type is never trusted");
        return body;
    }
}
