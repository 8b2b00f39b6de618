package tagger.common;

/** Why one image got no tags: a stable code and a message naming the rule and the value. */
public record ItemError(ErrorCode code, String message) {
}
