package tagger.common;

/** Name and version of the model that produced a result, as declared in its {@code model.json}. */
public record ModelRef(String name, String version) {
}
