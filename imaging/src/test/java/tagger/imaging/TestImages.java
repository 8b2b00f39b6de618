package tagger.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

/** Images and model inputs generated in code for the preprocessing tests. */
final class TestImages {

    private TestImages() {
    }

    static PreprocessSpec input(Layout layout, ColorOrder order, Resize resize, int width, int height, int shorterSide) {
        return new PreprocessSpec(layout, width, height, order, resize, shorterSide,
                1 / 255.0, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));
    }

    /** Every pixel random: the hardest case for an interpolation that reads the wrong neighbour. */
    static BufferedImage noise(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        boolean gray = type == BufferedImage.TYPE_BYTE_GRAY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (gray) {           // setRGB would gamma-map gray; write the raw sample instead
                    img.getRaster().setSample(x, y, 0, random.nextInt(256));
                } else {
                    img.setRGB(x, y, 0xFF000000 | random.nextInt(0x1000000));
                }
            }
        }
        return img;
    }

    /** Smooth gradients in each channel: errors in weights show, errors in neighbours hide less. */
    static BufferedImage gradient(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 255 * x / Math.max(1, w - 1);
                int g = 255 * y / Math.max(1, h - 1);
                int b = (r + g) / 2;
                img.setRGB(x, y, 0xFF000000 | r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /** Red, green / blue, white quadrants (top left, top right / bottom left, bottom right). */
    static BufferedImage quadrants(int w, int h) {
        BufferedImage img = solid(w, h, BufferedImage.TYPE_3BYTE_BGR, Color.RED);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(w / 2, 0, w - w / 2, h / 2);
        g.setColor(Color.BLUE);
        g.fillRect(0, h / 2, w / 2, h - h / 2);
        g.setColor(Color.WHITE);
        g.fillRect(w / 2, h / 2, w - w / 2, h - h / 2);
        g.dispose();
        return img;
    }

    static BufferedImage solid(int w, int h, int type, Color color) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and image type " + img.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A 6x4 lossless WebP (VP8L), left half (200, 10, 30), right half (20, 120, 250), written by
     * hand: no transforms, no colour cache, one "simple" two-symbol prefix code per channel.
     */
    static final byte[] WEBP_6X4_RED_BLUE = {
        82, 73, 70, 70, 38, 0, 0, 0, 87, 69, 66, 80, 86, 80, 56, 76, 25, 0, 0, 0, 47, 5, -64, 0, 0, -72, 2,
        -34, 41, -112, -17, -95, -33, -1, 2, 72, 106, 43, -87, -83, -92, -74, -110, -38, 2, 0,
    };
}
