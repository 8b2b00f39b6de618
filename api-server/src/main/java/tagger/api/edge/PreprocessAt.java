package tagger.api.edge;

/**
 * Where images are decoded and resized ({@code TAGGER_PREPROCESS_AT}): {@code WORKER} always sends
 * originals; {@code API} preprocesses at the api-server whenever the serving workers agree on one
 * pixel spec; {@code AUTO} (default) does so too, but only with libjpeg-turbo loaded here and only
 * when the payload is smaller than the original.
 */
public enum PreprocessAt { WORKER, API, AUTO }
