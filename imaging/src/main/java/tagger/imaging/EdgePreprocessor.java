package tagger.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The api-server's half of edge preprocessing: decodes an original, resizes and crops it exactly as
 * the serving model's {@link PixelSpec} says, and encodes the pixels as a high-quality 4:4:4 JPEG
 * (a 224×224 photo is some 20–30 KB instead of 150 KB raw). The worker then only normalises and
 * lays out. Thread-safe, like {@link Preprocessor}.
 */
public final class EdgePreprocessor {
    /** JPEG quality of payloads: the measured trade-off between size and the PSNR against the worker path (docs/benchmarks.md). */
    public static final int QUALITY = 95;
    /**
     * Inputs of at most this many pixels (e.g. 128×128) are encoded at quality 100: every pixel holds
     * more detail after a big downscale, quality 95 measured under 40 dB PSNR at 64×64, and the
     * payload stays a few KB anyway.
     */
    static final int SMALL_INPUT_PIXELS = 128 * 128;

    private final PixelSpec spec;
    private final Preprocessor resize;
    private final TurboJpeg turbo;
    private final String contentType;
    private final int quality;

    /**
     * @param turbo libjpeg-turbo for decoding and encoding, or null for ImageIO (slower)
     */
    public EdgePreprocessor(PixelSpec spec, long maxPixels, TurboJpeg turbo) {
        this.spec = spec;
        this.resize = new Preprocessor(spec.asIdentityPreprocessing(), maxPixels, turbo);
        this.turbo = turbo;
        this.contentType = EdgePayloads.contentType(spec);
        this.quality = spec.width() * spec.height() <= SMALL_INPUT_PIXELS ? 100 : QUALITY;
    }

    public PixelSpec spec() {
        return spec;
    }

    /**
     * @throws UndecodableImageException as the worker would have thrown it for the same bytes
     */
    public EdgePayload preprocess(byte[] image) throws UndecodableImageException {
        DecodedImage decoded = resize.decode(image, "image/*");
        long start = System.nanoTime();
        byte[] rgb = pixels(decoded);
        long resized = System.nanoTime();
        byte[] jpeg = turbo != null ? turbo.encode444(rgb, spec.width(), spec.height(), quality)
                : imageIo444(rgb, spec.width(), spec.height(), quality);
        long encoded = System.nanoTime();
        return new EdgePayload(contentType, jpeg, decoded.format(), decoded.sourceWidth(), decoded.sourceHeight(),
                decoded.decodeNanos(), resized - start, encoded - resized);
    }

    /** Packed RGB at the spec's size: the same sampling as the worker's tensor, rounded to bytes. */
    byte[] pixels(DecodedImage decoded) {
        FloatBuffer values = FloatBuffer.allocate(resize.tensorSize());
        resize.write(decoded, values, 0);
        byte[] rgb = new byte[values.capacity()];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) Math.min(255, (int) (values.get(i) + 0.5f));
        }
        return rgb;
    }

    /** ImageIO's JPEG writer subsamples chroma 2×2 by default; the metadata tree is the documented way to ask for 4:4:4. */
    static byte[] imageIo444(byte[] rgb, int width, int height, int quality) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
                ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(img), param);
            String format = "javax_imageio_jpeg_image_1.0";
            Element tree = (Element) metadata.getAsTree(format);
            NodeList components = tree.getElementsByTagName("componentSpec");
            for (int i = 0; i < components.getLength(); i++) {
                Element c = (Element) components.item(i);
                c.setAttribute("HsamplingFactor", "1");
                c.setAttribute("VsamplingFactor", "1");
            }
            metadata.setFromTree(format, tree);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, metadata), param);
            ios.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + width + "x" + height + " JPEG in memory", e);
        } finally {
            writer.dispose();
        }
    }
}
