package tagger.imaging;

import static tagger.imaging.UndecodableImageException.tooManyPixels;
import static tagger.imaging.UndecodableImageException.undecodable;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import tagger.imaging.DecodedImage.Samples;

/**
 * Decodes image bytes with the sniffed format's reader, refusing images over the pixel cap before
 * decoding them and decoding large ones subsampled, then shows them as a viewer would: embedded
 * RGB colour profiles converted to sRGB, EXIF orientation applied (see {@link #upright}).
 * Thread-safe: each call makes its own reader (microseconds, and the reader's native memory is
 * freed deterministically by {@code dispose}).
 */
final class ImageDecoder {

    private final Map<ImageFormat, ImageReaderSpi> readers;
    private final ImageReaderSpi cmykJpegReader = ImageFormat.provider(ImageFormat.CMYK_JPEG_READER);
    private final IsolatedHeifDecoder heif; // null: libheif runs in this process
    private final long maxPixels;
    private final IntBinaryOperator subsampling;

    /**
     * @param subsampling source subsampling period for an image of (width, height); 1 decodes every pixel
     */
    ImageDecoder(Map<ImageFormat, ImageReaderSpi> readers, long maxPixels, IntBinaryOperator subsampling) {
        this(readers, maxPixels, subsampling, null);
    }

    /** @param heif libheif's child processes, or {@code null} to run libheif in this process */
    ImageDecoder(Map<ImageFormat, ImageReaderSpi> readers, long maxPixels, IntBinaryOperator subsampling,
                 IsolatedHeifDecoder heif) {
        this.heif = heif;
        this.readers = Map.copyOf(readers);
        this.maxPixels = maxPixels;
        this.subsampling = subsampling;
    }

    DecodedImage decode(byte[] bytes, String contentType) throws UndecodableImageException {
        long start = System.nanoTime();
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw undecodable(unknownFormat(bytes, contentType));
        }
        String name = format.displayName();
        EmbeddedMetadata metadata = EmbeddedMetadata.read(bytes);
        if (format.isHeif()) {
            // libheif applies the file's own rotation; its ICC profile comes from the HEIF container
            HeifDecoder.Decoded d = heif == null ? HeifDecoder.decode(bytes, name, maxPixels, subsampling)
                    : heif.decode(bytes, name, maxPixels, heifSubsampling(bytes, format));
            Samples samples = upright(Samples.packedRgb(d.rgb(), d.width(), d.height()), d.iccProfile(), Orientation.NORMAL);
            return new DecodedImage(name, d.sourceWidth(), d.sourceHeight(), samples, System.nanoTime() - start);
        }
        // The JDK's reader refuses 4-component (CMYK, YCCK) JPEGs; TwelveMonkeys' converts them to sRGB.
        ImageReaderSpi spi = format == ImageFormat.JPEG && metadata.jpegComponents() == 4 ? cmykJpegReader : readers.get(format);
        ImageReader reader = null;
        // Not ImageIO.createImageInputStream: with ImageIO's default useCache=true it buffers
        // through a temporary file on every call.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader = spi.createReaderInstance();
            List<String> warnings = new ArrayList<>(2);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkPixelCap(name, width, height);
            boolean transposed = metadata.orientation().transposes();
            ImageReadParam param = param(reader, transposed ? height : width, transposed ? width : height);
            if (metadata.iccProfile() != null && spi != cmykJpegReader) {
                keepProfileSpace(reader, param);
            }
            BufferedImage image = reader.read(0, param);
            failIfTruncated(name, bytes.length, warnings);
            Samples samples = upright(SampleExtractor.extract(image, name), metadata.iccProfile(), metadata.orientation());
            return new DecodedImage(name, width, height, samples, System.nanoTime() - start);
        } catch (IOException | RuntimeException e) {
            // Decoders throw anything from IIOException to ArrayIndexOutOfBounds on hostile input.
            throw undecodable("cannot decode " + name + " (" + bytes.length + " bytes): " + describe(e), e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /** The subsampling period for a HEIF image, from the size its header declares. */
    private int heifSubsampling(byte[] bytes, ImageFormat format) throws UndecodableImageException {
        try {
            ImageInfo info = HeifHeader.read(new Header(bytes, format));
            return subsampling.applyAsInt(info.width(), info.height());
        } catch (ImageRejectedException e) {
            throw undecodable("cannot decode " + format.displayName() + " (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }

    /**
     * The decoded samples as a viewer shows them: an embedded RGB profile converted to sRGB (in
     * place, on the already subsampled pixels; free for sRGB and unprofiled images), then the EXIF
     * orientation applied as a view (no copy), so resize and crop see the upright picture. Every
     * decode path ends here.
     */
    static Samples upright(Samples samples, byte[] iccProfile, Orientation orientation) {
        SrgbConversion.forProfile(iccProfile).apply(samples.data(), samples.width(), samples.height(), samples.base(),
                samples.pixelStride(), samples.rowStride(), samples.red(), samples.green(), samples.blue());
        return orientation.apply(samples);
    }

    /**
     * Asks the reader to keep only every f-th pixel of every f-th row when the image is much larger
     * than the resize needs. For JPEG this skips colour conversion and copying of the dropped
     * pixels (research/deps.md §6: a 1080p decode went from 13 to 8 ms at 4×); for the other
     * formats it mostly saves memory. Dropping pixels without averaging them aliases, so the policy
     * ({@link TensorWriter#subsampling}) stops while the decoded image is still at least twice the
     * size the resize samples from: it still holds more detail than the model input can show.
     * The grid offset (f-1)/2 takes the middle pixel of each f×f block, so the subsampled image
     * stays centred on the original and can be treated as covering the same frame.
     */
    private ImageReadParam param(ImageReader reader, int width, int height) {
        ImageReadParam param = reader.getDefaultReadParam();
        int f = subsampling.applyAsInt(width, height);
        if (f > 1) {
            param.setSourceSubsampling(f, f, (f - 1) / 2, (f - 1) / 2);
        }
        return param;
    }

    /**
     * Asks for the pixels in the embedded profile's own space: the JDK's JPEG reader would
     * otherwise convert them to sRGB itself with a whole-image {@code ColorConvertOp}, slower than
     * {@link SrgbConversion} and not on every decode path, which then converts every path alike.
     */
    private static void keepProfileSpace(ImageReader reader, ImageReadParam param) throws IOException {
        java.util.Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
        while (types.hasNext()) {
            javax.imageio.ImageTypeSpecifier type = types.next();
            java.awt.color.ColorSpace space = type.getColorModel().getColorSpace();
            if (space instanceof java.awt.color.ICC_ColorSpace && !space.isCS_sRGB()
                    && space.getType() == java.awt.color.ColorSpace.TYPE_RGB) {
                param.setDestinationType(type);
                return;
            }
        }
    }

    void checkPixelCap(String format, int width, int height) throws UndecodableImageException {
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw tooManyPixels(String.format(Locale.ROOT, "%s image is %dx%d px (%s), limit %s",
                    format, width, height, megapixels(pixels), megapixels(maxPixels)));
        }
    }

    private static String megapixels(long pixels) {
        return pixels < 100_000 ? pixels + " px" : String.format(Locale.ROOT, "%.1f MP", pixels / 1e6);
    }

    /**
     * libjpeg fills missing rows with gray and only warns; a half-gray photo would get confident
     * nonsense tags, so a truncated image is an error. A merely missing EOI marker after complete
     * data ("Truncated File - Missing EOI marker" alone) is accepted, as browsers do.
     */
    private static void failIfTruncated(String format, int size, List<String> warnings) throws UndecodableImageException {
        for (String w : warnings) {
            if (w != null && w.toLowerCase(Locale.ROOT).contains("premature end")) {
                throw undecodable(format + " is truncated (" + size + " bytes): " + w);
            }
        }
    }

    private static String unknownFormat(byte[] bytes, String contentType) {
        if (bytes.length == 0) {
            return "image is empty (0 bytes)";
        }
        String head = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length));
        return "not a supported image format (" + ImageFormat.SUPPORTED + "): " + bytes.length
                + " bytes starting " + head + ", declared content type " + contentType;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String text = message == null ? e.getClass().getSimpleName()
                : e instanceof IOException ? message : e.getClass().getSimpleName() + ": " + message;
        Throwable cause = e.getCause();
        return cause == null || cause == e ? text : text + " (" + describe(cause) + ")";
    }
}
