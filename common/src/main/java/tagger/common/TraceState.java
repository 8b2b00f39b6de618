package tagger.common;

import java.util.regex.Pattern;

/**
 * The W3C Trace Context {@code tracestate} rules (https://www.w3.org/TR/trace-context/#tracestate-header):
 * at most 512 characters, at most 32 comma-separated list-members {@code key=value}, where a key is
 * {@code [a-z][a-z0-9_*-/]{0,255}} or {@code tenant@system}, and a value is up to 256 printable ASCII
 * characters other than {@code ,} and {@code =}, not ending in a space. Empty members (",,") are allowed.
 */
public final class TraceState {
    /** Longest value carried. */
    public static final int MAX_LENGTH = 512;
    private static final int MAX_MEMBERS = 32;
    private static final Pattern MEMBER = Pattern.compile(
            "(?:[a-z][a-z0-9_\\-*/]{0,255}|[a-z0-9][a-z0-9_\\-*/]{0,240}@[a-z][a-z0-9_\\-*/]{0,13})"
                    + "=[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");

    private TraceState() {
    }

    /** {@code value} when it is a well-formed, non-empty tracestate; null otherwise (W3C: a malformed one is discarded). */
    public static String orNull(String value) {
        return problem(value) == null ? value : null;
    }

    /** {@code value} when null or well-formed; empty becomes null. */
    public static String require(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("tracestate " + problem + ", got '" + value + "'");
        }
        return value;
    }

    /** What is wrong with {@code value} as a tracestate, or null when nothing (null and empty are not tracestates). */
    static String problem(String value) {
        if (value == null || value.isBlank()) {
            return "must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters (" + value.length() + ")";
        }
        String[] members = value.split(",", -1);
        if (members.length > MAX_MEMBERS) {
            return "must have at most " + MAX_MEMBERS + " list-members (" + members.length + ")";
        }
        int nonEmpty = 0;
        for (String m : members) {
            String member = m.strip();
            if (member.isEmpty()) {
                continue;
            }
            if (!MEMBER.matcher(member).matches()) {
                return "list-members must be key=value (W3C trace-context), not '" + member + "'";
            }
            nonEmpty++;
        }
        return nonEmpty == 0 ? "must not be empty" : null;
    }
}
