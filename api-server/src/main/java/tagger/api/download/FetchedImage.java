package tagger.api.download;

/**
 * A downloaded body, not yet identified as an image.
 *
 * @param finalUrl the URL after redirects
 * @param millis   wall time from starting the download to the last byte
 */
public record FetchedImage(String finalUrl, byte[] body, double millis) {
}
