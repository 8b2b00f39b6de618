package tagger.imaging;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libjpeg-turbo's TurboJPEG C API (Debian {@code libturbojpeg0}) bound with JNA: JPEG decode with
 * DCT-domain scaling, and 4:4:4 JPEG encode for edge payloads. Thread-safe: every call makes and
 * destroys its own TurboJPEG handle (microseconds beside a decode), so no native state is shared.
 *
 * <p>Native code is only reached with bytes whose JPEG header was already read and checked by
 * {@link ImageInfo#read}; every native failure comes back as a return code, never as a crash.
 */
public final class TurboJpeg {

    private static final Logger log = LoggerFactory.getLogger(TurboJpeg.class);

    /** Set to {@code off} (system property {@code tagger.turbojpeg} or env {@code TAGGER_TURBOJPEG}) to force the ImageIO path. */
    public static final String SWITCH_PROPERTY = "tagger.turbojpeg";
    public static final String SWITCH_ENV = "TAGGER_TURBOJPEG";

    static final int TJPF_RGB = 0;
    static final int TJSAMP_444 = 0;
    static final int TJCS_YCBCR = 1;
    static final int TJCS_GRAY = 2;
    static final int TJERR_WARNING = 0;

    private static volatile Optional<TurboJpeg> shared;

    private final Lib lib;
    private final String libraryFile;
    private final List<ScalingFactor> factors;

    /** The JNA view of the few TurboJPEG 2.x functions used. */
    interface Lib extends Library {
        Pointer tjInitDecompress();

        Pointer tjInitCompress();

        int tjDestroy(Pointer handle);

        // the compressed bytes and the pixels are passed as native memory, copied once each way: JNA
        // copies a Java array in and back out on every call, 4 × 2.3 MB for a 12 MP photo's header +
        // decode (measured 0–1 ms of ~31, inside this machine's noise; EdgeCostBenchmark)
        int tjDecompressHeader3(Pointer handle, Pointer jpeg, NativeLong size, IntByReference width,
                IntByReference height, IntByReference subsamp, IntByReference colorspace);

        int tjDecompress2(Pointer handle, Pointer jpeg, NativeLong size, Pointer dst, int width, int pitch,
                int height, int pixelFormat, int flags);

        int tjCompress2(Pointer handle, byte[] src, int width, int pitch, int height, int pixelFormat,
                PointerByReference jpeg, NativeLongByReference size, int subsamp, int quality, int flags);

        void tjFree(Pointer buffer);

        String tjGetErrorStr2(Pointer handle);

        int tjGetErrorCode(Pointer handle);

        Pointer tjGetScalingFactors(IntByReference count);
    }

    /** A DCT scaling factor num/denom that libjpeg-turbo supports. */
    record ScalingFactor(int num, int denom) {
        /** {@code TJSCALED}: the size of a dimension decoded at this factor. */
        int scale(int dimension) {
            return (int) (((long) dimension * num + denom - 1) / denom);
        }

        @Override
        public String toString() {
            return num + "/" + denom;
        }
    }

    private TurboJpeg(Lib lib, String libraryFile) {
        this.lib = lib;
        this.libraryFile = libraryFile;
        IntByReference count = new IntByReference();
        Pointer p = lib.tjGetScalingFactors(count);
        List<ScalingFactor> found = new ArrayList<>();
        for (int i = 0; p != null && i < count.getValue(); i++) {
            found.add(new ScalingFactor(p.getInt(8L * i), p.getInt(8L * i + 4)));
        }
        found.sort(Comparator.comparingDouble(f -> (double) f.num() / f.denom()));
        this.factors = List.copyOf(found);
    }

    /**
     * The process-wide instance, loaded once: empty when switched off or when the native library
     * cannot be loaded (logged once, with the reason, at WARN).
     */
    public static Optional<TurboJpeg> shared() {
        Optional<TurboJpeg> s = shared;
        if (s == null) {
            synchronized (TurboJpeg.class) {
                if (shared == null) {
                    shared = load(System.getProperty(SWITCH_PROPERTY, System.getenv().getOrDefault(SWITCH_ENV, "auto")));
                }
                s = shared;
            }
        }
        return s;
    }

    static Optional<TurboJpeg> load(String setting) {
        if ("off".equalsIgnoreCase(setting.trim())) {
            log.info("JPEG decoder: ImageIO ({}={} forces the fallback path)", SWITCH_ENV, setting);
            return Optional.empty();
        }
        try {
            NativeLibrary library = loadLibrary();
            Lib lib = Native.load(library.getName(), Lib.class);
            TurboJpeg t = new TurboJpeg(lib, library.getFile() == null ? library.getName() : library.getFile().getPath());
            log.info("JPEG decoder: libjpeg-turbo via TurboJPEG ({}), DCT scaling factors {}", t.libraryFile, t.factors);
            return Optional.of(t);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.warn("JPEG decoder: ImageIO fallback, because libturbojpeg could not be loaded ({}); "
                    + "install the Debian package libturbojpeg0 for DCT-scaled decoding", e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code libturbojpeg.so} is only in the -dev package; the runtime package ships {@code libturbojpeg.so.0}. */
    private static NativeLibrary loadLibrary() {
        try {
            return NativeLibrary.getInstance("turbojpeg");
        } catch (UnsatisfiedLinkError e) {
            return NativeLibrary.getInstance("libturbojpeg.so.0");
        }
    }

    /** The shared library file in use, for startup logs and /v1/cluster. */
    public String libraryFile() {
        return libraryFile;
    }

    /**
     * The smallest supported factor (at most 1) whose output size still {@code covers} what the
     * resize needs; 1/1 when none smaller does.
     */
    ScalingFactor smallestCovering(int width, int height, BiPredicate<Integer, Integer> covers) {
        for (ScalingFactor f : factors) {
            if (f.num() <= f.denom() && covers.test(f.scale(width), f.scale(height))) {
                return f;
            }
        }
        return new ScalingFactor(1, 1);
    }

    /** What {@link #decode} produced: packed RGB at the scaled size, or why the caller should use another decoder. */
    record Decoded(byte[] rgb, int width, int height, String unsupported) {
    }

    /**
     * Decodes to packed RGB at {@code factor}. Colour spaces other than YCbCr and gray (CMYK,
     * YCCK, RGB-coded), and any warning from libjpeg (a truncated or slightly corrupt file), are
     * handed back as {@code unsupported} so the caller can let the ImageIO path give its verdict.
     *
     * @throws UndecodableImageException when libjpeg fails outright
     */
    Decoded decode(byte[] jpeg, ScalingFactor factor) throws UndecodableImageException {
        Pointer h = lib.tjInitDecompress();
        if (h == null) {
            throw UndecodableImageException.undecodable("cannot decode JPEG: tjInitDecompress failed");
        }
        try (Memory src = new Memory(jpeg.length)) {
            src.write(0, jpeg, 0, jpeg.length);
            NativeLong size = new NativeLong(jpeg.length);
            IntByReference w = new IntByReference();
            IntByReference ht = new IntByReference();
            IntByReference subsamp = new IntByReference();
            IntByReference colorspace = new IntByReference();
            if (lib.tjDecompressHeader3(h, src, size, w, ht, subsamp, colorspace) != 0) {
                throw failure(h, jpeg.length);
            }
            if (colorspace.getValue() != TJCS_YCBCR && colorspace.getValue() != TJCS_GRAY) {
                return new Decoded(null, 0, 0, "colour space " + colorspace.getValue());
            }
            int width = factor.scale(w.getValue());
            int height = factor.scale(ht.getValue());
            try (Memory dst = new Memory(3L * width * height)) {
                if (lib.tjDecompress2(h, src, size, dst, width, 0, height, TJPF_RGB, 0) != 0) {
                    if (lib.tjGetErrorCode(h) == TJERR_WARNING) {
                        return new Decoded(null, 0, 0, "warning: " + lib.tjGetErrorStr2(h));
                    }
                    throw failure(h, jpeg.length);
                }
                return new Decoded(dst.getByteArray(0, 3 * width * height), width, height, null);
            }
        } finally {
            lib.tjDestroy(h);
        }
    }

    /**
     * Encodes packed RGB as a baseline JPEG without chroma subsampling (4:4:4), the edge payload.
     *
     * @throws IllegalStateException when libjpeg refuses (it cannot for valid arguments)
     */
    byte[] encode444(byte[] rgb, int width, int height, int quality) {
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("RGB buffer holds " + rgb.length + " bytes, " + width + "x" + height
                    + " needs " + 3 * width * height);
        }
        Pointer h = lib.tjInitCompress();
        if (h == null) {
            throw new IllegalStateException("tjInitCompress failed");
        }
        PointerByReference out = new PointerByReference();
        NativeLongByReference size = new NativeLongByReference();
        try {
            if (lib.tjCompress2(h, rgb, width, 0, height, TJPF_RGB, out, size, TJSAMP_444, quality, 0) != 0) {
                throw new IllegalStateException("cannot encode " + width + "x" + height + " JPEG: " + lib.tjGetErrorStr2(h));
            }
            return out.getValue().getByteArray(0, (int) size.getValue().longValue());
        } finally {
            if (out.getValue() != null) {
                lib.tjFree(out.getValue());
            }
            lib.tjDestroy(h);
        }
    }

    private UndecodableImageException failure(Pointer h, int length) {
        return UndecodableImageException.undecodable(String.format(Locale.ROOT, "cannot decode JPEG (%d bytes): %s",
                length, lib.tjGetErrorStr2(h)));
    }
}
