package tagger.imaging;

import java.nio.FloatBuffer;

/** How close two input tensors of one model are: the measure behind "edge and worker paths agree". */
public final class TensorPsnr {
    private TensorPsnr() {
    }

    /**
     * Peak signal-to-noise ratio in dB over the first {@code a.capacity()} floats, the peak being the
     * span one 0..255 channel covers after normalisation (255 × scale / the smallest std); infinite
     * when identical.
     */
    public static double of(FloatBuffer a, FloatBuffer b, PreprocessSpec spec) {
        double peak = 255 * spec.scale() / spec.std().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double sum = 0;
        for (int i = 0; i < a.capacity(); i++) {
            double d = a.get(i) - b.get(i);
            sum += d * d;
        }
        return sum == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / (sum / a.capacity()));
    }
}
