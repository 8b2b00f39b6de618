package tagger.common;

/** One label with its score in [0, 1] (or the model's raw output when its activation is {@code none}). */
public record Tag(String label, double score) {
}
