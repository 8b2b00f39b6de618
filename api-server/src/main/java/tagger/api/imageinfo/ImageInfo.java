package tagger.api.imageinfo;

/** Format and dimensions of an image, read from its first bytes without decoding it. */
public record ImageInfo(ImageFormat format, int width, int height) {

    public long pixels() {
        return (long) width * height;
    }
}
