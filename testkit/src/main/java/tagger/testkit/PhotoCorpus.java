package tagger.testkit;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The same photo stored the ways real photos arrive: the eight EXIF orientations, CMYK and YCCK
 * JPEGs, Adobe RGB and Display P3 profiles, HEIC, AVIF, TIFF, 16-bit PNG, transparency and
 * animation. Made from one upright sRGB picture by the JDK's writers and by installed tools
 * ({@code heif-enc} from libheif-examples, {@code convert} from imagemagick, {@code img2webp}
 * from webp); what a tool cannot make here is left out and listed in {@link Corpus#missing()}.
 */
public final class PhotoCorpus {

    /** How the variant relates to the upright picture, and so how a test compares them. */
    public enum Kind {
        /** Pixels stored turned; the EXIF orientation says how to show them: must match upright. */
        ORIENTED,
        /** Same picture, other colour encoding: its mean colour must match the sRGB original. */
        COLOUR,
        /** Same picture in another file format (lossy or quantised): mean colour within a looser bound. */
        FORMAT,
        /** Partly transparent: must match {@link #onWhite} of the original. */
        TRANSPARENT
    }

    /** One file of the corpus. */
    public record Item(String name, String contentType, Kind kind, byte[] bytes) {
    }

    /** The files made, and the variants a missing tool could not make (name: reason). */
    public record Corpus(List<Item> items, List<String> missing) {
    }

    private PhotoCorpus() {
    }

    /** A photo-like upright picture, wider than tall, with no symmetry an orientation bug could hide behind. */
    public static BufferedImage upright(int width, int height) {
        BufferedImage img = SampleImages.photoLike(width, height, 11);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.RED); // a marker in one corner: top left, where no mirror or turn keeps it
        g.fillRect(0, 0, width / 5, height / 4);
        g.dispose();
        return img;
    }

    public static Corpus generate(BufferedImage upright) {
        List<Item> items = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int o = 1; o <= 8; o++) {
            items.add(new Item("orientation-" + o + ".jpg", "image/jpeg", Kind.ORIENTED,
                    withSegment(SampleImages.jpeg(stored(upright, o), 0.92f), 0xE1, exifOrientation(o))));
        }
        items.add(new Item("cmyk-adobe.jpg", "image/jpeg", Kind.COLOUR, adobeCmykJpeg(upright)));
        items.add(new Item("adobe-rgb.jpg", "image/jpeg", Kind.COLOUR, profiledJpeg(upright, IccProfiles.adobeRgb())));
        items.add(new Item("display-p3.jpg", "image/jpeg", Kind.COLOUR, profiledJpeg(upright, IccProfiles.displayP3())));
        items.add(new Item("display-p3.png", "image/png", Kind.COLOUR, profiledPng(upright, IccProfiles.displayP3())));
        items.add(new Item("photo.tiff", "image/tiff", Kind.COLOUR, SampleImages.encode(upright, "tiff")));
        items.add(new Item("photo-16bit.png", "image/png", Kind.COLOUR, SampleImages.png(sixteenBit(upright))));
        items.add(new Item("rgba.png", "image/png", Kind.TRANSPARENT, SampleImages.png(withTransparentBorder(upright))));
        items.add(new Item("palette-alpha.png", "image/png", Kind.TRANSPARENT, SampleImages.png(paletteWithAlpha(upright))));
        items.add(new Item("gray-alpha.png", "image/png", Kind.TRANSPARENT, SampleImages.png(grayAlpha(upright))));
        items.add(new Item("animated.gif", "image/gif", Kind.FORMAT, animatedGif(upright)));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("photo-corpus");
            Path png = dir.resolve("upright.png");
            Files.write(png, SampleImages.png(upright));
            tool(items, missing, dir, "ycck-adobe.jpg", "image/jpeg", Kind.COLOUR,
                    "convert", png.toString(), "-colorspace", "CMYK", "-quality", "92", dir.resolve("ycck-adobe.jpg").toString());
            tool(items, missing, dir, "photo.heic", "image/heic", Kind.FORMAT,
                    "heif-enc", "-q", "90", "-o", dir.resolve("photo.heic").toString(), png.toString());
            // aom 3.6 asserts on 4:2:0 AVIF through heif-enc 1.15; 4:2:2 encodes
            tool(items, missing, dir, "photo.avif", "image/avif", Kind.FORMAT,
                    "heif-enc", "-A", "-p", "chroma=422", "-q", "90", "-o", dir.resolve("photo.avif").toString(), png.toString());
            Path black = dir.resolve("black.png");
            Files.write(black, SampleImages.png(SampleImages.solid(upright.getWidth(), upright.getHeight(), java.awt.Color.BLACK)));
            tool(items, missing, dir, "animated.webp", "image/webp", Kind.FORMAT,
                    "img2webp", "-lossy", "-q", "90", "-d", "500", png.toString(), black.toString(), "-o", dir.resolve("animated.webp").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
        return new Corpus(List.copyOf(items), List.copyOf(missing));
    }

    /** The picture over white, as a viewer shows {@link Kind#TRANSPARENT} variants. */
    public static BufferedImage onWhite(BufferedImage upright) {
        BufferedImage out = new BufferedImage(upright.getWidth(), upright.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        int bw = border(upright);
        for (int y = 0; y < upright.getHeight(); y++) {
            for (int x = 0; x < upright.getWidth(); x++) {
                boolean transparent = x < bw || y < bw || x >= upright.getWidth() - bw || y >= upright.getHeight() - bw;
                out.setRGB(x, y, transparent ? 0xFFFFFFFF : upright.getRGB(x, y));
            }
        }
        return out;
    }

    /** The stored pixels of an upright picture for EXIF orientation o: showing them with o gives the picture back. */
    public static BufferedImage stored(BufferedImage upright, int o) {
        int w = upright.getWidth();
        int h = upright.getHeight();
        boolean turned = o >= 5;
        int sw = turned ? h : w;
        int sh = turned ? w : h;
        BufferedImage s = new BufferedImage(sw, sh, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] at = switch (o) { // shown (x, y) is stored at:
                    case 1 -> new int[] {x, y};
                    case 2 -> new int[] {sw - 1 - x, y};
                    case 3 -> new int[] {sw - 1 - x, sh - 1 - y};
                    case 4 -> new int[] {x, sh - 1 - y};
                    case 5 -> new int[] {y, x};
                    case 6 -> new int[] {y, sh - 1 - x};
                    case 7 -> new int[] {sw - 1 - y, sh - 1 - x};
                    case 8 -> new int[] {sw - 1 - y, x};
                    default -> throw new IllegalArgumentException("EXIF orientation is 1..8, got " + o);
                };
                s.setRGB(at[0], at[1], upright.getRGB(x, y));
            }
        }
        return s;
    }

    /** An APP1 Exif segment's payload holding only IFD0 with one Orientation tag. */
    public static byte[] exifOrientation(int o) {
        return ByteBuffer.allocate(6 + 8 + 2 + 12 + 4).put("Exif\0\0".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[] {'M', 'M', 0, 42}).putInt(8)
                .putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) o).putShort((short) 0)
                .putInt(0).array();
    }

    /** The JPEG with one more marker segment right after SOI (and after JFIF APP0 if present). */
    public static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + payload.length + 4);
        out.write(jpeg, 0, at);
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** The picture's colours converted into the profile's space, stored as a JPEG that embeds the profile (APP2). */
    public static byte[] profiledJpeg(BufferedImage upright, byte[] icc) {
        return profiledJpeg(upright, icc, 0.95f);
    }

    /** {@link #profiledJpeg(BufferedImage, byte[])} at the given JPEG quality (0..1). */
    public static byte[] profiledJpeg(BufferedImage upright, byte[] icc, float quality) {
        ByteArrayOutputStream app2 = new ByteArrayOutputStream();
        app2.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
        app2.write(1);
        app2.write(1);
        app2.writeBytes(icc);
        return withSegment(SampleImages.jpeg(inProfile(upright, icc), quality), 0xE2, app2.toByteArray());
    }

    static byte[] profiledPng(BufferedImage upright, byte[] icc) {
        byte[] png = SampleImages.png(inProfile(upright, icc));
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes("P3\0".getBytes(StandardCharsets.US_ASCII));
        chunk.write(0); // zlib
        Deflater deflater = new Deflater();
        deflater.setInput(icc);
        deflater.finish();
        byte[] buffer = new byte[icc.length + 64];
        chunk.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        int afterIhdr = 8 + 8 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        writeChunk(out, "iCCP", chunk.toByteArray());
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * sRGB pixels re-expressed in the profile's RGB (relative colorimetric), as a camera set to that
     * space writes them, labelled sRGB so the JPEG writer stores the numbers untouched. Pixel by
     * pixel: the JDK's {@code ColorConvertOp} on whole images got Adobe RGB's pure-gamma curve
     * wrong here (red 181 where the colour engine's per-pixel answer and the formula say 168).
     */
    static BufferedImage inProfile(BufferedImage upright, byte[] icc) {
        ICC_ColorSpace space = new ICC_ColorSpace(ICC_Profile.getInstance(icc));
        BufferedImage out = new BufferedImage(upright.getWidth(), upright.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = out.getRaster();
        java.util.Map<Integer, int[]> memo = new java.util.HashMap<>();
        float[] in = new float[3];
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int rgb = upright.getRGB(x, y) & 0xFFFFFF;
                int[] px = memo.computeIfAbsent(rgb, v -> {
                    in[0] = (v >> 16 & 0xFF) / 255f;
                    in[1] = (v >> 8 & 0xFF) / 255f;
                    in[2] = (v & 0xFF) / 255f;
                    float[] c = space.fromRGB(in);
                    return new int[] {Math.round(c[0] * 255), Math.round(c[1] * 255), Math.round(c[2] * 255)};
                });
                r.setPixel(x, y, px);
            }
        }
        return out;
    }

    /**
     * A CMYK JPEG as Photoshop writes it: Adobe APP14 with transform 0 and inverted values. The
     * separation is the naive one (K = 1 − max(R, G, B)), as ImageMagick's {@code -colorspace CMYK}.
     */
    static byte[] adobeCmykJpeg(BufferedImage upright) {
        int w = upright.getWidth();
        int h = upright.getHeight();
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] px = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = upright.getRGB(x, y);
                double r = (rgb >> 16 & 0xFF) / 255.0, g = (rgb >> 8 & 0xFF) / 255.0, b = (rgb & 0xFF) / 255.0;
                double k = 1 - Math.max(r, Math.max(g, b));
                double d = k >= 1 ? 1 : 1 - k;
                double[] ink = {(1 - r - k) / d, (1 - g - k) / d, (1 - b - k) / d, k};
                for (int i = 0; i < 4; i++) {
                    px[i] = 255 - (int) Math.round(ink[i] * 255); // Adobe stores CMYK inverted
                }
                cmyk.setPixel(x, y, px);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        // version 100, flags 0, 0, transform 0 (no colour transform: the components are C, M, Y, K)
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return withSegment(out.toByteArray(), 0xEE, adobe);
    }

    private static BufferedImage sixteenBit(BufferedImage upright) {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                ColorModel.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(upright.getWidth(), upright.getHeight());
        int[] px = new int[3];
        for (int y = 0; y < upright.getHeight(); y++) {
            for (int x = 0; x < upright.getWidth(); x++) {
                int rgb = upright.getRGB(x, y);
                px[0] = (rgb >> 16 & 0xFF) * 257;
                px[1] = (rgb >> 8 & 0xFF) * 257;
                px[2] = (rgb & 0xFF) * 257;
                r.setPixel(x, y, px);
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    private static int border(BufferedImage img) {
        return Math.max(1, Math.min(img.getWidth(), img.getHeight()) / 10);
    }

    private static boolean inBorder(BufferedImage img, int x, int y) {
        int bw = border(img);
        return x < bw || y < bw || x >= img.getWidth() - bw || y >= img.getHeight() - bw;
    }

    /** Transparent border (black underneath, as many writers leave it), opaque picture inside. */
    private static BufferedImage withTransparentBorder(BufferedImage upright) {
        BufferedImage out = new BufferedImage(upright.getWidth(), upright.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, inBorder(upright, x, y) ? 0 : upright.getRGB(x, y));
            }
        }
        return out;
    }

    /** 6×6×6 colour cube plus one fully transparent entry (PNG tRNS). */
    private static BufferedImage paletteWithAlpha(BufferedImage upright) {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256], a = new byte[256];
        for (int i = 0; i < 216; i++) {
            r[i] = (byte) (i / 36 * 51);
            g[i] = (byte) (i / 6 % 6 * 51);
            b[i] = (byte) (i % 6 * 51);
            a[i] = (byte) 255;
        }
        int transparent = 216;
        IndexColorModel cm = new IndexColorModel(8, 256, r, g, b, a);
        BufferedImage out = new BufferedImage(upright.getWidth(), upright.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster raster = out.getRaster();
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int rgb = upright.getRGB(x, y);
                int index = ((rgb >> 16 & 0xFF) + 25) / 51 * 36 + ((rgb >> 8 & 0xFF) + 25) / 51 * 6 + ((rgb & 0xFF) + 25) / 51;
                raster.setSample(x, y, 0, inBorder(upright, x, y) ? transparent : index);
            }
        }
        return out;
    }

    /** Gray + alpha (PNG colour type 4): the luma of the picture, transparent border. */
    private static BufferedImage grayAlpha(BufferedImage upright) {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                ColorModel.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(upright.getWidth(), upright.getHeight());
        for (int y = 0; y < upright.getHeight(); y++) {
            for (int x = 0; x < upright.getWidth(); x++) {
                int rgb = upright.getRGB(x, y);
                int luma = (int) Math.round(0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF));
                raster.setPixel(x, y, new int[] {luma, inBorder(upright, x, y) ? 0 : 255});
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    /** Two frames: the picture, then black. Only the first may be tagged. */
    private static byte[] animatedGif(BufferedImage upright) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : List.of(upright, SampleImages.solid(upright.getWidth(), upright.getHeight(), java.awt.Color.BLACK))) {
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "50");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void tool(List<Item> items, List<String> missing, Path dir, String name, String type, Kind kind,
                             String... command) {
        Path output = dir.resolve(name);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                missing.add(name + ": " + command[0] + " ran over 300 s");
            } else if (p.exitValue() != 0 || !Files.exists(output)) {
                missing.add(name + ": " + command[0] + " exited " + p.exitValue() + ": "
                        + Files.readString(dir.resolve(name + ".log")).strip());
            } else {
                items.add(new Item(name, type, kind, Files.readAllBytes(output)));
            }
        } catch (IOException e) {
            missing.add(name + ": cannot run " + command[0] + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missing.add(name + ": interrupted");
        }
    }

    /**
     * The picture as HEIC or AVIF through {@code heif-enc} (libheif-examples), for benchmarks that
     * need one format at a large size.
     *
     * @throws IllegalStateException with heif-enc's output when it cannot make it
     */
    public static byte[] heif(BufferedImage upright, boolean avif) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("photo-heif");
            Path png = dir.resolve("in.png");
            Files.write(png, SampleImages.png(upright));
            String name = avif ? "out.avif" : "out.heic";
            List<Item> items = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            if (avif) {
                tool(items, missing, dir, name, "image/avif", Kind.FORMAT, "heif-enc", "-A", "-p", "chroma=422", "-q", "90",
                        "-o", dir.resolve(name).toString(), png.toString());
            } else {
                tool(items, missing, dir, name, "image/heic", Kind.FORMAT, "heif-enc", "-q", "90", "-o",
                        dir.resolve(name).toString(), png.toString());
            }
            if (items.isEmpty()) {
                throw new IllegalStateException(String.join("; ", missing));
            }
            return items.get(0).bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
