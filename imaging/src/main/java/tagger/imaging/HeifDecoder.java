package tagger.imaging;

import static tagger.imaging.UndecodableImageException.tooManyPixels;
import static tagger.imaging.UndecodableImageException.undecodable;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Locale;

/**
 * Decodes HEIC (HEVC) and AVIF (AV1) images in this process with libheif's C API (Debian package
 * {@code libheif1}, with libde265 and dav1d/aom behind it), bound through JNA.
 *
 * <p>libheif applies the file's rotation and mirror properties ({@code irot}, {@code imir}) while
 * decoding, so the pixels come back upright; EXIF orientation inside a HEIF file is ignored, as
 * the HEIF standard says. Alpha is composited onto white like every other format. One decoding
 * thread per image: the worker already decodes one image per core.
 *
 * <p>Thread-safe: every call has its own libheif context.
 */
final class HeifDecoder {

    private static final int COLORSPACE_RGB = 1;
    private static final int CHROMA_INTERLEAVED_RGB = 10;
    private static final int CHROMA_INTERLEAVED_RGBA = 11;
    private static final int CHANNEL_INTERLEAVED = 10;
    private static final int PROFILE_PROF = 0x70726f66; // 'prof': an embedded ICC profile
    private static final int PROFILE_RICC = 0x72494343; // 'rICC': a restricted ICC profile

    private static final Loaded LIBRARY = Loaded.load();

    private HeifDecoder() {
    }

    /** Whether libheif could be loaded; when not, {@link #unavailableReason()} says why. */
    static boolean available() {
        return LIBRARY.lib != null;
    }

    /** libheif's version, e.g. {@code 1.15.1}, or {@code null} when it is missing. */
    static String version() {
        return LIBRARY.lib == null ? null : LIBRARY.lib.heif_get_version();
    }

    static String unavailableReason() {
        return LIBRARY.problem;
    }

    /**
     * Decodes the primary image to packed 8-bit RGB, keeping every {@code f}-th pixel of every
     * {@code f}-th row as {@link ImageDecoder} does for the ImageIO formats.
     *
     * @param format      display name for messages, {@code HEIC} or {@code AVIF}
     * @param subsampling source subsampling period for the upright (width, height)
     */
    static Decoded decode(byte[] bytes, String format, long maxPixels, java.util.function.IntBinaryOperator subsampling)
            throws UndecodableImageException {
        LibHeif lib = LIBRARY.lib;
        if (lib == null) {
            throw undecodable(format + " images need libheif (Debian package libheif1), which could not be loaded: "
                    + LIBRARY.problem);
        }
        Pointer ctx = lib.heif_context_alloc();
        Pointer handle = null;
        Pointer image = null;
        try {
            lib.heif_context_set_max_decoding_threads(ctx, 1);
            check(format, bytes.length, lib.heif_context_read_from_memory(ctx, bytes, bytes.length, null));
            PointerByReference handleRef = new PointerByReference();
            check(format, bytes.length, lib.heif_context_get_primary_image_handle(ctx, handleRef));
            handle = handleRef.getValue();
            int width = lib.heif_image_handle_get_width(handle);
            int height = lib.heif_image_handle_get_height(handle);
            long pixels = (long) width * height;
            if (pixels > maxPixels) {
                throw tooManyPixels(String.format(Locale.ROOT, "%s image is %dx%d px (%.1f MP), limit %.1f MP",
                        format, width, height, pixels / 1e6, maxPixels / 1e6));
            }
            boolean alpha = lib.heif_image_handle_has_alpha_channel(handle) != 0;
            byte[] icc = iccProfile(lib, handle);
            PointerByReference imageRef = new PointerByReference();
            check(format, bytes.length, lib.heif_decode_image(handle, imageRef, COLORSPACE_RGB,
                    alpha ? CHROMA_INTERLEAVED_RGBA : CHROMA_INTERLEAVED_RGB, null));
            image = imageRef.getValue();
            return copy(lib, image, alpha, width, height, icc, subsampling.applyAsInt(width, height), format);
        } finally {
            if (image != null) {
                lib.heif_image_release(image);
            }
            if (handle != null) {
                lib.heif_image_handle_release(handle);
            }
            lib.heif_context_free(ctx);
        }
    }

    /** Decoded pixels: packed RGB of (width × height), the file's declared size and its ICC profile (or {@code null}). */
    record Decoded(byte[] rgb, int width, int height, int sourceWidth, int sourceHeight, byte[] iccProfile) {
    }

    private static Decoded copy(LibHeif lib, Pointer image, boolean alpha, int declaredWidth, int declaredHeight,
                                byte[] icc, int f, String format) throws UndecodableImageException {
        IntByReference strideRef = new IntByReference();
        Pointer plane = lib.heif_image_get_plane_readonly(image, CHANNEL_INTERLEAVED, strideRef);
        int w = lib.heif_image_get_width(image, CHANNEL_INTERLEAVED);
        int h = lib.heif_image_get_height(image, CHANNEL_INTERLEAVED);
        if (plane == null || w <= 0 || h <= 0) {
            throw undecodable(format + " decoder returned no pixels");
        }
        int channels = alpha ? 4 : 3;
        int stride = strideRef.getValue();
        int offset = (f - 1) / 2; // the middle pixel of each f×f block, as ImageDecoder does
        int outW = Math.max(1, (w - offset + f - 1) / f);
        int outH = Math.max(1, (h - offset + f - 1) / f);
        byte[] row = new byte[w * channels];
        byte[] rgb = new byte[3 * outW * outH];
        for (int y = 0, o = 0; y < outH; y++) {
            plane.read((long) Math.min(h - 1, offset + y * f) * stride, row, 0, row.length);
            for (int x = 0; x < outW; x++, o += 3) {
                int i = Math.min(w - 1, offset + x * f) * channels;
                if (alpha) {
                    int a = row[i + 3] & 0xff;
                    rgb[o] = (byte) SampleExtractor.onWhite(row[i] & 0xff, a, false);
                    rgb[o + 1] = (byte) SampleExtractor.onWhite(row[i + 1] & 0xff, a, false);
                    rgb[o + 2] = (byte) SampleExtractor.onWhite(row[i + 2] & 0xff, a, false);
                } else {
                    rgb[o] = row[i];
                    rgb[o + 1] = row[i + 1];
                    rgb[o + 2] = row[i + 2];
                }
            }
        }
        return new Decoded(rgb, outW, outH, declaredWidth, declaredHeight, icc);
    }

    private static byte[] iccProfile(LibHeif lib, Pointer handle) {
        int type = lib.heif_image_handle_get_color_profile_type(handle);
        if (type != PROFILE_PROF && type != PROFILE_RICC) {
            return null; // none, or an nclx description (sRGB unless it says otherwise; see docs/decisions.md)
        }
        long size = lib.heif_image_handle_get_raw_color_profile_size(handle);
        if (size <= 0 || size > EmbeddedMetadata.MAX_ICC_BYTES) {
            return null;
        }
        byte[] icc = new byte[(int) size];
        HeifError e = lib.heif_image_handle_get_raw_color_profile(handle, icc);
        return e.code == 0 ? icc : null;
    }

    private static void check(String format, int size, HeifError e) throws UndecodableImageException {
        if (e.code != 0) {
            throw undecodable("cannot decode " + format + " (" + size + " bytes): libheif error " + e.code + "."
                    + e.subcode + ": " + e.message);
        }
    }

    /** {@code struct heif_error}, returned by value. */
    public static class HeifError extends Structure implements Structure.ByValue {
        public int code;
        public int subcode;
        public String message;

        @Override
        protected java.util.List<String> getFieldOrder() {
            return java.util.List.of("code", "subcode", "message");
        }
    }

    /** The part of libheif's C API (1.15) this class calls. */
    interface LibHeif extends Library {
        String heif_get_version();

        Pointer heif_context_alloc();

        void heif_context_free(Pointer ctx);

        void heif_context_set_max_decoding_threads(Pointer ctx, int max);

        HeifError heif_context_read_from_memory(Pointer ctx, byte[] mem, long size, Pointer options);

        HeifError heif_context_get_primary_image_handle(Pointer ctx, PointerByReference handle);

        int heif_image_handle_get_width(Pointer handle);

        int heif_image_handle_get_height(Pointer handle);

        int heif_image_handle_has_alpha_channel(Pointer handle);

        int heif_image_handle_get_color_profile_type(Pointer handle);

        long heif_image_handle_get_raw_color_profile_size(Pointer handle);

        HeifError heif_image_handle_get_raw_color_profile(Pointer handle, byte[] out);

        HeifError heif_decode_image(Pointer handle, PointerByReference image, int colorspace, int chroma, Pointer options);

        Pointer heif_image_get_plane_readonly(Pointer image, int channel, IntByReference stride);

        int heif_image_get_width(Pointer image, int channel);

        int heif_image_get_height(Pointer image, int channel);

        void heif_image_release(Pointer image);

        void heif_image_handle_release(Pointer handle);
    }

    /** The library, or why it could not be loaded. */
    private record Loaded(LibHeif lib, String problem) {
        static Loaded load() {
            // Debian's runtime package ships only libheif.so.1 (the unversioned name comes with -dev).
            String problem = null;
            for (String name : new String[] {"heif", "libheif.so.1"}) {
                try {
                    return new Loaded(Native.load(name, LibHeif.class), null);
                } catch (UnsatisfiedLinkError e) {
                    problem = problem == null ? e.getMessage() : problem;
                }
            }
            return new Loaded(null, problem);
        }
    }
}
