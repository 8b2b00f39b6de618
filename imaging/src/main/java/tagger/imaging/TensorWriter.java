package tagger.imaging;

import java.nio.FloatBuffer;
import java.util.List;
import tagger.imaging.DecodedImage.Samples;
import tagger.imaging.PreprocessSpec.ColorOrder;
import tagger.imaging.PreprocessSpec.Layout;
import tagger.imaging.PreprocessSpec.Resize;

/**
 * Resizes, centre-crops, normalises and lays out one image into the model's input tensor in a
 * single pass over the output, writing floats straight into the batch buffer.
 *
 * <p>Sampling is bilinear with half-pixel centres and edge clamping, the same as
 * {@code torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=False)}
 * and OpenCV's {@code INTER_LINEAR}: output pixel i samples source coordinate
 * {@code max(0, (i + 0.5) * in / out - 0.5)}. There is no area averaging for big downscales:
 * the decoder's subsampling already brings large images to within about 2–4× of the sampled size,
 * where plain bilinear aliases little, and a second filter pass would double the cost.
 *
 * <p>{@code shorter-side-then-center-crop} follows torchvision's {@code Resize(s)} +
 * {@code CenterCrop}: the shorter side becomes s, the longer {@code floor(s * long / short)}, and
 * the crop starts at {@code round((scaled - crop) / 2)} with Python's round-half-even. The crop is
 * fused into the sampling coordinates, so the scaled intermediate image is never built.
 */
final class TensorWriter {

    private final int width;
    private final int height;
    private final Resize resize;
    private final int shorterSide;
    private final boolean bgr;
    private final int channelStride;        // distance between channels of one pixel in the output
    private final int pixelStride;          // distance between neighbouring pixels of one channel
    private final float[] scale = new float[3];
    private final float[] bias = new float[3];

    TensorWriter(PreprocessSpec input) {
        List<String> problems = input.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid model input: " + String.join("; ", problems));
        }
        width = input.width();
        height = input.height();
        resize = input.resize();
        shorterSide = input.resizeShorterSide();
        bgr = input.colorOrder() == ColorOrder.BGR;
        channelStride = input.layout() == Layout.NCHW ? width * height : 1;
        pixelStride = input.layout() == Layout.NCHW ? 1 : 3;
        for (int c = 0; c < 3; c++) {
            // (v * scale - mean) / std == v * (scale / std) + (-mean / std); folded in double, applied in float.
            scale[c] = (float) (input.scale() / input.std().get(c));
            bias[c] = (float) (-input.mean().get(c) / input.std().get(c));
        }
    }

    int tensorSize() {
        return 3 * width * height;
    }

    /** Source subsampling period for a (w × h) image that keeps it at least twice the size sampled from. */
    int subsampling(int w, int h) {
        int f = resize == Resize.STRETCH
                ? Math.min(w / (2 * width), h / (2 * height))
                : Math.min(w, h) / (2 * shorterSide);
        return Math.max(1, f);
    }

    /**
     * Whether a decoded (w × h) image still holds every pixel the resize samples: both sides at least
     * the input size for {@code stretch}, the shorter side at least {@code resizeShorterSide} for the
     * crop. A DCT-scaled decode is low-pass filtered, so unlike subsampling it needs no 2× margin.
     */
    boolean covers(int w, int h) {
        return resize == Resize.STRETCH ? w >= width && h >= height : Math.min(w, h) >= shorterSide;
    }

    void write(Samples s, FloatBuffer out, int offset) {
        if (offset < 0 || (long) offset + tensorSize() > out.limit()) {
            throw new IndexOutOfBoundsException("image tensor at offset " + offset + " needs floats up to "
                    + ((long) offset + tensorSize()) + ", buffer limit is " + out.limit());
        }
        int w = s.width();
        int h = s.height();
        int scaledW = width;
        int scaledH = height;
        if (resize == Resize.SHORTER_SIDE_THEN_CENTER_CROP) {
            scaledW = w <= h ? shorterSide : (int) ((long) shorterSide * w / h);
            scaledH = w <= h ? (int) ((long) shorterSide * h / w) : shorterSide;
        }
        Axis xs = Axis.of(w, scaledW, (int) Math.rint((scaledW - width) / 2.0), width, s.pixelStride());
        Axis ys = Axis.of(h, scaledH, (int) Math.rint((scaledH - height) / 2.0), height, s.rowStride());
        sample(s, xs, ys, out, offset);
    }

    private void sample(Samples s, Axis xs, Axis ys, FloatBuffer out, int offset) {
        byte[] p = s.data();
        int c0 = bgr ? s.blue() : s.red();
        int c1 = s.green();
        int c2 = bgr ? s.red() : s.blue();
        float s0 = scale[0], s1 = scale[1], s2 = scale[2];
        float b0 = bias[0], b1 = bias[1], b2 = bias[2];
        int cs = channelStride;
        int ps = pixelStride;
        int[] xLo = xs.lo, xHi = xs.hi;
        float[] xFrac = xs.frac;
        for (int y = 0; y < height; y++) {
            int top = s.base() + ys.lo[y];
            int bottom = s.base() + ys.hi[y];
            float fy = ys.frac[y];
            int o = offset + y * width * ps;
            for (int x = 0; x < width; x++, o += ps) {
                int tl = top + xLo[x], tr = top + xHi[x], bl = bottom + xLo[x], br = bottom + xHi[x];
                float fx = xFrac[x];
                out.put(o, lerp2(p, tl + c0, tr + c0, bl + c0, br + c0, fx, fy) * s0 + b0);
                out.put(o + cs, lerp2(p, tl + c1, tr + c1, bl + c1, br + c1, fx, fy) * s1 + b1);
                out.put(o + 2 * cs, lerp2(p, tl + c2, tr + c2, bl + c2, br + c2, fx, fy) * s2 + b2);
            }
        }
    }

    private static float lerp2(byte[] p, int tl, int tr, int bl, int br, float fx, float fy) {
        float t = p[tl] & 0xFF;
        float b = p[bl] & 0xFF;
        t += ((p[tr] & 0xFF) - t) * fx;
        b += ((p[br] & 0xFF) - b) * fx;
        return t + (b - t) * fy;
    }

    /** Per output index along one axis: the two source offsets (already times the stride) and the weight of the second. */
    private record Axis(int[] lo, int[] hi, float[] frac) {

        static Axis of(int srcLen, int scaledLen, int cropStart, int outLen, int stride) {
            int[] lo = new int[outLen];
            int[] hi = new int[outLen];
            float[] frac = new float[outLen];
            double ratio = (double) srcLen / scaledLen;
            for (int i = 0; i < outLen; i++) {
                // Double here: in float, 4000 px sources would put weight errors near 1e-3.
                double src = Math.max(0, (cropStart + i + 0.5) * ratio - 0.5);
                int i0 = Math.min((int) src, srcLen - 1);
                lo[i] = i0 * stride;
                hi[i] = Math.min(i0 + 1, srcLen - 1) * stride;
                frac[i] = (float) (src - i0);
            }
            return new Axis(lo, hi, frac);
        }
    }
}
