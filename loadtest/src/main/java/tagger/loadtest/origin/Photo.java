package tagger.loadtest.origin;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One kind of picture in the corpus: size and encoding, written {@code 640x480.jpg}. */
public record Photo(int width, int height, Format format) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,5})x(\\d{1,5})\\.(jpg|jpeg|png)");
    /** Above this a generated picture takes more memory and time than a load test should spend. */
    static final long MAX_PIXELS = 24_000_000;

    /** How the picture is encoded. */
    public enum Format {
        JPEG("jpg", "image/jpeg"), PNG("png", "image/png");

        private final String extension;
        private final String mimeType;

        Format(String extension, String mimeType) {
            this.extension = extension;
            this.mimeType = mimeType;
        }

        public String extension() {
            return extension;
        }

        public String mimeType() {
            return mimeType;
        }
    }

    public Photo {
        if (width < 16 || height < 16 || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("photo size must be at least 16x16 and at most " + MAX_PIXELS / 1_000_000
                    + " MP, got " + width + "x" + height);
        }
    }

    /** Parses {@code 640x480.jpg} or {@code 4000x3000.png}. */
    public static Photo parse(String text) {
        Matcher m = TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("photo must be WIDTHxHEIGHT.jpg or WIDTHxHEIGHT.png (e.g. 640x480.jpg), got '"
                    + text + "'");
        }
        return new Photo(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3).equals("png") ? Format.PNG : Format.JPEG);
    }

    @Override
    public String toString() {
        return width + "x" + height + "." + format.extension();
    }
}
