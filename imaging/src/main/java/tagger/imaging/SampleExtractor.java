package tagger.imaging;

import static tagger.imaging.UndecodableImageException.undecodable;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import tagger.imaging.DecodedImage.Samples;

/**
 * Turns a freshly decoded {@link BufferedImage} into opaque 8-bit RGB {@link Samples}.
 *
 * <p>8-bit interleaved byte rasters (TYPE_3BYTE_BGR, TYPE_BYTE_GRAY, TYPE_4BYTE_ABGR and the custom
 * RGB/RGBA/gray-alpha layouts the PNG and WebP readers produce) are used in place, without a copy:
 * that is every JPEG and most PNGs. Palette and packed-int images get a direct loop over their
 * raster; everything else (16-bit RGB, 1/2/4-bit palettes...) goes through {@code getRGB} row by row.
 *
 * <p>Transparent pixels are composited onto white: transparent web images (logos, product
 * cut-outs, stickers) are drawn to be seen on a light page, and the colour stored under a fully
 * transparent pixel is arbitrary (often black), so dropping alpha would show the model noise.
 * Compositing happens in place, so the image must not be shared.
 *
 * <p>Gray samples are taken raw (gray g becomes R = G = B = g). {@code getRGB} would treat the
 * JDK's linear gray colour space as linear and brighten them; PIL, which the models were trained
 * with, does not. Embedded ICC profiles are ignored for the same reason.
 */
final class SampleExtractor {

    private SampleExtractor() {
    }

    static Samples extract(BufferedImage img, String format) throws UndecodableImageException {
        ColorModel cm = img.getColorModel();
        int space = cm.getColorSpace().getType();
        if (space != ColorSpace.TYPE_RGB && space != ColorSpace.TYPE_GRAY) {
            throw undecodable(format + " image uses the " + spaceName(space)
                    + " colour space; only RGB, grayscale and palette images are supported");
        }
        Samples direct = interleavedBytes(img);
        if (direct != null) {
            return direct;
        }
        WritableRaster raster = img.getRaster();
        if (cm instanceof IndexColorModel icm && raster.getSampleModel() instanceof PixelInterleavedSampleModel
                && raster.getDataBuffer() instanceof DataBufferByte) {
            return fromPalette(img, icm);
        }
        if (cm instanceof DirectColorModel dcm && raster.getSampleModel() instanceof SinglePixelPackedSampleModel
                && raster.getDataBuffer() instanceof DataBufferInt && eightBitMasks(dcm)) {
            return fromPackedInts(img, dcm);
        }
        if (space == ColorSpace.TYPE_GRAY && cm instanceof ComponentColorModel
                && (raster.getTransferType() == DataBuffer.TYPE_BYTE || raster.getTransferType() == DataBuffer.TYPE_USHORT)) {
            return fromGraySamples(img);
        }
        return fromRgbRows(img);
    }

    /** The raster itself when it is 8-bit interleaved bytes in one bank, else {@code null}. */
    private static Samples interleavedBytes(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        WritableRaster raster = img.getRaster();
        if (!(cm instanceof ComponentColorModel)
                || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)
                || !(raster.getDataBuffer() instanceof DataBufferByte db) || db.getNumBanks() != 1) {
            return null;
        }
        for (int bits : cm.getComponentSize()) {
            if (bits != 8) {
                return null;
            }
        }
        int colours = cm.getNumColorComponents();
        int[] bands = sm.getBandOffsets();       // ComponentColorModel order: colours, then alpha
        int pixelStride = sm.getPixelStride();
        int rowStride = sm.getScanlineStride();
        // Subimages share their parent's buffer and are shifted by the sample model translation.
        int base = db.getOffset() - raster.getSampleModelTranslateY() * rowStride
                - raster.getSampleModelTranslateX() * pixelStride;
        Samples s = new Samples(db.getData(), img.getWidth(), img.getHeight(), base, pixelStride, rowStride,
                bands[0], bands[colours == 3 ? 1 : 0], bands[colours == 3 ? 2 : 0]);
        if (cm.hasAlpha()) {
            compositeInPlace(s, bands, colours, bands[colours], cm.isAlphaPremultiplied());
        }
        return s;
    }

    private static void compositeInPlace(Samples s, int[] bands, int colours, int alpha, boolean premultiplied) {
        byte[] d = s.data();
        for (int y = 0; y < s.height(); y++) {
            for (int i = s.base() + y * s.rowStride(), end = i + s.width() * s.pixelStride(); i < end; i += s.pixelStride()) {
                int a = d[i + alpha] & 0xFF;
                if (a != 255) {
                    for (int c = 0; c < colours; c++) {
                        d[i + bands[c]] = (byte) onWhite(d[i + bands[c]] & 0xFF, a, premultiplied);
                    }
                }
            }
        }
    }

    private static Samples fromPalette(BufferedImage img, IndexColorModel icm) {
        byte[] lut = new byte[256 * 3];          // indices past the palette's end stay black, as in PIL
        for (int i = 0; i < Math.min(256, icm.getMapSize()); i++) {
            int argb = icm.getRGB(i);
            int a = argb >>> 24;
            lut[3 * i] = (byte) onWhite((argb >> 16) & 0xFF, a, false);
            lut[3 * i + 1] = (byte) onWhite((argb >> 8) & 0xFF, a, false);
            lut[3 * i + 2] = (byte) onWhite(argb & 0xFF, a, false);
        }
        WritableRaster raster = img.getRaster();
        PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) raster.getSampleModel();
        DataBufferByte db = (DataBufferByte) raster.getDataBuffer();
        byte[] src = db.getData();
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0, o = 0; y < h; y++) {
            int i = db.getOffset() + sm.getOffset(-raster.getSampleModelTranslateX(), y - raster.getSampleModelTranslateY());
            for (int x = 0; x < w; x++, i += sm.getPixelStride(), o += 3) {
                int p = 3 * (src[i] & 0xFF);
                rgb[o] = lut[p];
                rgb[o + 1] = lut[p + 1];
                rgb[o + 2] = lut[p + 2];
            }
        }
        return Samples.packedRgb(rgb, w, h);
    }

    private static boolean eightBitMasks(DirectColorModel dcm) {
        return Integer.bitCount(dcm.getRedMask()) == 8 && Integer.bitCount(dcm.getGreenMask()) == 8
                && Integer.bitCount(dcm.getBlueMask()) == 8
                && (!dcm.hasAlpha() || Integer.bitCount(dcm.getAlphaMask()) == 8);
    }

    /** TYPE_INT_RGB, TYPE_INT_ARGB(_PRE), TYPE_INT_BGR and the like. */
    private static Samples fromPackedInts(BufferedImage img, DirectColorModel dcm) {
        WritableRaster raster = img.getRaster();
        SinglePixelPackedSampleModel sm = (SinglePixelPackedSampleModel) raster.getSampleModel();
        DataBufferInt db = (DataBufferInt) raster.getDataBuffer();
        int[] src = db.getData();
        int rs = Integer.numberOfTrailingZeros(dcm.getRedMask());
        int gs = Integer.numberOfTrailingZeros(dcm.getGreenMask());
        int bs = Integer.numberOfTrailingZeros(dcm.getBlueMask());
        boolean alpha = dcm.hasAlpha();
        int as = alpha ? Integer.numberOfTrailingZeros(dcm.getAlphaMask()) : 0;
        boolean premultiplied = dcm.isAlphaPremultiplied();
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0, o = 0; y < h; y++) {
            int i = db.getOffset() + sm.getOffset(-raster.getSampleModelTranslateX(), y - raster.getSampleModelTranslateY());
            for (int x = 0; x < w; x++, i++, o += 3) {
                int v = src[i];
                int a = alpha ? (v >>> as) & 0xFF : 255;
                rgb[o] = (byte) onWhite((v >>> rs) & 0xFF, a, premultiplied);
                rgb[o + 1] = (byte) onWhite((v >>> gs) & 0xFF, a, premultiplied);
                rgb[o + 2] = (byte) onWhite((v >>> bs) & 0xFF, a, premultiplied);
            }
        }
        return Samples.packedRgb(rgb, w, h);
    }

    /** 16-bit gray and gray with alpha: raw samples scaled to 8 bits (see the class comment on gamma). */
    private static Samples fromGraySamples(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        WritableRaster raster = img.getRaster();
        int bands = raster.getNumBands();
        boolean alpha = cm.hasAlpha();
        int grayMax = (1 << cm.getComponentSize(0)) - 1;
        int alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
        boolean premultiplied = cm.isAlphaPremultiplied();
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w * bands];
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++, o += 3) {
                int g = to8Bits(row[x * bands], grayMax);
                int a = alpha ? to8Bits(row[x * bands + 1], alphaMax) : 255;
                byte v = (byte) onWhite(g, a, premultiplied);
                rgb[o] = v;
                rgb[o + 1] = v;
                rgb[o + 2] = v;
            }
        }
        return Samples.packedRgb(rgb, w, h);
    }

    /** Anything else: the colour model converts to non-premultiplied sRGB, one row per call. */
    private static Samples fromRgbRows(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0, o = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++, o += 3) {
                int v = row[x];
                int a = v >>> 24;
                rgb[o] = (byte) onWhite((v >> 16) & 0xFF, a, false);
                rgb[o + 1] = (byte) onWhite((v >> 8) & 0xFF, a, false);
                rgb[o + 2] = (byte) onWhite(v & 0xFF, a, false);
            }
        }
        return Samples.packedRgb(rgb, w, h);
    }

    /** Colour value v with alpha a over a white background, all 0..255, rounded. */
    static int onWhite(int v, int a, boolean premultiplied) {
        if (premultiplied) {
            return Math.min(255, v + 255 - a);
        }
        return (v * a + 255 * (255 - a) + 127) / 255;
    }

    private static int to8Bits(int v, int max) {
        return max == 255 ? v : (int) ((v * 255L + max / 2) / max);
    }

    private static String spaceName(int type) {
        return switch (type) {
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            case ColorSpace.TYPE_CMY -> "CMY";
            case ColorSpace.TYPE_Lab -> "Lab";
            default -> "non-RGB (ColorSpace type " + type + ")";
        };
    }
}
