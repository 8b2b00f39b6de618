package tagger.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.bmp.BMPImageWriteParam;
import javax.imageio.stream.ImageOutputStream;

/** Real image files written by the JDK's ImageIO writers, so header tests need no checked-in fixtures. */
final class HeaderTestImages {

    private HeaderTestImages() {
    }

    static byte[] write(String format, int width, int height) {
        return write(format, width, height, null);
    }

    static byte[] progressiveJpeg(int width, int height) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        return write(writer, picture(width, height), param);
    }

    static byte[] topDownBmp(int width, int height) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("bmp").next();
        BMPImageWriteParam param = (BMPImageWriteParam) writer.getDefaultWriteParam();
        param.setTopDown(true);
        return write(writer, picture(width, height), param);
    }

    private static byte[] write(String format, int width, int height, ImageWriteParam param) {
        return write(ImageIO.getImageWritersByFormatName(format).next(), picture(width, height), param);
    }

    private static byte[] write(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A picture with some structure, so encoders produce ordinary output rather than a degenerate one. */
    static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }
}
