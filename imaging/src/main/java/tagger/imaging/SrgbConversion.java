package tagger.imaging;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.color.ICC_ProfileRGB;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts 8-bit samples from an embedded RGB ICC profile (Adobe RGB, Display P3, ProPhoto…) to
 * sRGB, which is what the models were trained on, so a P3 photo is not fed to them desaturated.
 *
 * <p>Only matrix/TRC ("matrix-shaper") RGB profiles are converted — every camera and phone profile
 * is one. Their conversion is exact and cheap: per channel a 256-entry table gives the linear-light
 * contribution to each sRGB channel (the profile's curve, evaluated once by the JDK's colour
 * engine, times the profile-to-sRGB matrix), three table sums per pixel give linear sRGB, and a
 * 4096-entry table applies the sRGB curve. Relative colorimetric: out-of-gamut colours are clipped.
 * A profile that is sRGB in all but name (within one level) is the identity and costs nothing.
 * Conversions are cached by profile bytes, since a library's photos share a handful of profiles.
 */
final class SrgbConversion {

    /** No conversion: sRGB, no profile, or a profile that is not an RGB matrix-shaper. */
    static final SrgbConversion IDENTITY = new SrgbConversion(null);

    private static final int CACHE_SIZE = 32;
    private static final int LINEAR_STEPS = 4096;
    private static final int ONE = 1 << 16; // fixed point for linear light
    private static final byte[] ENCODE = srgbEncodeTable();
    private static final Map<ProfileKey, SrgbConversion> CACHE = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ProfileKey, SrgbConversion> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** contribution[c][v * 3 + k]: linear sRGB channel k (fixed point, may be negative) from source channel c at value v. */
    private final int[][] contribution;

    private SrgbConversion(int[][] contribution) {
        this.contribution = contribution;
    }

    /** The conversion for an embedded profile; {@link #IDENTITY} for {@code null}, sRGB-like or unusable profiles. */
    static SrgbConversion forProfile(byte[] icc) {
        if (icc == null) {
            return IDENTITY;
        }
        ProfileKey key = new ProfileKey(icc);
        synchronized (CACHE) {
            SrgbConversion cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        SrgbConversion made;
        try {
            made = build(icc);
        } catch (RuntimeException e) {
            // CMMException, ProfileDataException…: a broken profile shows the pixels as sRGB, as browsers do
            made = IDENTITY;
        }
        synchronized (CACHE) {
            CACHE.put(key, made);
        }
        return made;
    }

    boolean isIdentity() {
        return contribution == null;
    }

    /**
     * Converts in place the samples of a (width × height) raster: pixel (x, y) has its R, G, B bytes
     * at {@code base + y * rowStride + x * pixelStride + red|green|blue}. Gray rasters (all three
     * offsets equal) are left alone: the profile is RGB, so it does not describe them.
     */
    void apply(byte[] data, int width, int height, int base, int pixelStride, int rowStride, int red, int green, int blue) {
        if (contribution == null || (red == green && green == blue)) {
            return;
        }
        int[] cr = contribution[0], cg = contribution[1], cb = contribution[2];
        for (int y = 0; y < height; y++) {
            int i = base + y * rowStride;
            for (int x = 0; x < width; x++, i += pixelStride) {
                int r = 3 * (data[i + red] & 0xff);
                int g = 3 * (data[i + green] & 0xff);
                int b = 3 * (data[i + blue] & 0xff);
                data[i + red] = encode(cr[r] + cg[g] + cb[b]);
                data[i + green] = encode(cr[r + 1] + cg[g + 1] + cb[b + 1]);
                data[i + blue] = encode(cr[r + 2] + cg[g + 2] + cb[b + 2]);
            }
        }
    }

    private static byte encode(int linear) {
        int index = linear <= 0 ? 0 : linear >= ONE ? LINEAR_STEPS - 1 : (int) ((long) linear * (LINEAR_STEPS - 1) / ONE);
        return ENCODE[index];
    }

    private static SrgbConversion build(byte[] icc) {
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return IDENTITY; // not a parseable profile: show the pixels as sRGB, as browsers do
        }
        if (!(profile instanceof ICC_ProfileRGB rgb) || profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return IDENTITY;
        }
        double[][] toSrgb = multiply(invert(toDouble(srgbProfile().getMatrix())), toDouble(rgb.getMatrix()));
        double[][] curves = curves(new ICC_ColorSpace(profile), toDouble(rgb.getMatrix()));
        if (curves == null) {
            return IDENTITY;
        }
        if (isSrgbLike(toSrgb, curves)) {
            return IDENTITY;
        }
        int[][] contribution = new int[3][256 * 3];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                for (int k = 0; k < 3; k++) {
                    contribution[c][v * 3 + k] = (int) Math.round(toSrgb[k][c] * curves[c][v] * ONE);
                }
            }
        }
        return new SrgbConversion(contribution);
    }

    /**
     * Each channel's curve, value 0..255 to linear light, evaluated by the JDK's colour engine so
     * that gamma, table and parametric curves all work: a pure channel value maps to XYZ along
     * its colorant, so Y divided by the colorant's Y is the curve.
     */
    private static double[][] curves(ICC_ColorSpace space, double[][] colorants) {
        double[][] curves = new double[3][256];
        float[] in = new float[3];
        for (int c = 0; c < 3; c++) {
            double colorantY = colorants[1][c];
            if (!(colorantY > 1e-6)) {
                return null;
            }
            for (int v = 0; v < 256; v++) {
                Arrays.fill(in, 0f);
                in[c] = v / 255f;
                float[] xyz = space.toCIEXYZ(in);
                curves[c][v] = xyz[1] / colorantY;
            }
            double white = curves[c][255];
            if (!(white > 1e-6)) {
                return null;
            }
            for (int v = 0; v < 256; v++) {
                curves[c][v] /= white; // the colour engine's XYZ encoding is not exactly 1.0 at full scale
            }
        }
        return curves;
    }

    private static boolean isSrgbLike(double[][] toSrgb, double[][] curves) {
        for (int k = 0; k < 3; k++) {
            for (int c = 0; c < 3; c++) {
                if (Math.abs(toSrgb[k][c] - (k == c ? 1 : 0)) > 0.002) {
                    return false;
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                if (Math.abs(srgbEncode(curves[c][v]) * 255 - v) > 1.0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ICC_ProfileRGB srgbProfile() {
        return (ICC_ProfileRGB) ICC_Profile.getInstance(ColorSpace.CS_sRGB);
    }

    private static byte[] srgbEncodeTable() {
        byte[] table = new byte[LINEAR_STEPS];
        for (int i = 0; i < LINEAR_STEPS; i++) {
            table[i] = (byte) Math.round(srgbEncode((double) i / (LINEAR_STEPS - 1)) * 255);
        }
        return table;
    }

    /** The sRGB transfer function (IEC 61966-2-1), linear 0..1 to encoded 0..1. */
    static double srgbEncode(double linear) {
        return linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
    }

    private static double[][] toDouble(float[][] m) {
        double[][] d = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                d[i][j] = m[i][j];
            }
        }
        return d;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] p = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                p[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
            }
        }
        return p;
    }

    private static double[][] invert(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2];
        double d = m[1][0], e = m[1][1], f = m[1][2];
        double g = m[2][0], h = m[2][1], i = m[2][2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[][] {
            {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
            {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
            {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }

    /** Profile bytes as a cache key (content equality). */
    private record ProfileKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ProfileKey k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
