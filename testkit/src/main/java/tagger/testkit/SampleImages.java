package tagger.testkit;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Images generated on the spot, so tests and the demo never need files or a network. */
public final class SampleImages {
    private SampleImages() {
    }

    /** One flat colour. */
    public static BufferedImage solid(int width, int height, Color color) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /** Vertical bands of fully saturated hues: many colours, nothing dominant. */
    public static BufferedImage rainbow(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int x = 0; x < width; x++) {
            int rgb = Color.HSBtoRGB((float) x / width, 1f, 1f);
            for (int y = 0; y < height; y++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    /**
     * A photo-like picture (sky gradient, textured ground, soft shapes, sensor noise) so that JPEG
     * sizes and decode times resemble real photos rather than flat colour.
     */
    public static BufferedImage photoLike(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float hue = random.nextFloat();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.getHSBColor(hue, 0.5f, 0.95f), 0, height * 0.6f,
                Color.getHSBColor(hue + 0.1f, 0.3f, 0.7f)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(Color.HSBtoRGB(random.nextFloat(), random.nextFloat(), random.nextFloat()) & 0xffffff
                    | (random.nextInt(120) + 60) << 24, true));
            int w = 1 + random.nextInt(Math.max(1, width / 3));
            int h = 1 + random.nextInt(Math.max(1, height / 3));
            g.fillOval(random.nextInt(width), random.nextInt(height), w, h);
        }
        g.dispose();
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int v = (px[i] & 0xff) + (int) (random.nextGaussian() * 6);
            px[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return img;
    }

    /** Baseline JPEG at the given quality (0..1). */
    public static byte[] jpeg(BufferedImage img, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    public static byte[] jpeg(BufferedImage img) {
        return jpeg(img, 0.9f);
    }

    /** PNG, GIF or BMP through the JDK's writers. */
    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for format '" + format + "'");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(BufferedImage img) {
        return encode(img, "png");
    }
}
