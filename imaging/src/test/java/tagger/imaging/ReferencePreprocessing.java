package tagger.imaging;

import java.awt.image.BufferedImage;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

/**
 * The obvious, slow version of resize + crop + normalise + layout that the optimised
 * {@link TensorWriter} must agree with: per pixel, per channel, double math, no tables.
 */
final class ReferencePreprocessing {

    private ReferencePreprocessing() {
    }

    /** The model input for an opaque sRGB or gray image, as a fresh array. */
    static float[] tensor(BufferedImage img, PreprocessSpec in) {
        int w = img.getWidth();
        int h = img.getHeight();
        int outW = in.width();
        int outH = in.height();
        // Size of the (virtual) resized image and where the crop starts in it.
        int scaledW = outW;
        int scaledH = outH;
        if (in.resize() == Resize.SHORTER_SIDE_THEN_CENTER_CROP) {
            int s = in.resizeShorterSide();
            if (w <= h) {
                scaledW = s;
                scaledH = (int) Math.floor((double) s * h / w);
            } else {
                scaledH = s;
                scaledW = (int) Math.floor((double) s * w / h);
            }
        }
        double cropLeft = roundHalfEven((scaledW - outW) / 2.0);
        double cropTop = roundHalfEven((scaledH - outH) / 2.0);

        float[] out = new float[3 * outW * outH];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                double sx = Math.max(0, (cropLeft + x + 0.5) * w / scaledW - 0.5);
                double sy = Math.max(0, (cropTop + y + 0.5) * h / scaledH - 0.5);
                double[] rgb = bilinear(img, sx, sy);
                for (int c = 0; c < 3; c++) {
                    int source = in.colorOrder() == PreprocessSpec.ColorOrder.RGB ? c : 2 - c;
                    double value = (rgb[source] * in.scale() - in.mean().get(c)) / in.std().get(c);
                    int index = in.layout() == Layout.NCHW
                            ? c * outW * outH + y * outW + x
                            : (y * outW + x) * 3 + c;
                    out[index] = (float) value;
                }
            }
        }
        return out;
    }

    private static double[] bilinear(BufferedImage img, double sx, double sy) {
        int x0 = Math.min((int) Math.floor(sx), img.getWidth() - 1);
        int y0 = Math.min((int) Math.floor(sy), img.getHeight() - 1);
        int x1 = Math.min(x0 + 1, img.getWidth() - 1);
        int y1 = Math.min(y0 + 1, img.getHeight() - 1);
        double fx = sx - x0;
        double fy = sy - y0;
        int[] topLeft = rgb(img, x0, y0);
        int[] topRight = rgb(img, x1, y0);
        int[] bottomLeft = rgb(img, x0, y1);
        int[] bottomRight = rgb(img, x1, y1);
        double[] result = new double[3];
        for (int c = 0; c < 3; c++) {
            double top = topLeft[c] * (1 - fx) + topRight[c] * fx;
            double bottom = bottomLeft[c] * (1 - fx) + bottomRight[c] * fx;
            result[c] = top * (1 - fy) + bottom * fy;
        }
        return result;
    }

    /** R, G, B of one pixel; gray images by their raw sample (what PIL does), not through getRGB's gamma. */
    static int[] rgb(BufferedImage img, int x, int y) {
        if (img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
            int g = img.getRaster().getSample(x, y, 0);
            return new int[] {g, g, g};
        }
        int argb = img.getRGB(x, y);
        return new int[] {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
    }

    private static double roundHalfEven(double v) {
        return new java.math.BigDecimal(v).setScale(0, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }
}
