package tagger.api.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The rules one bulk item must pass at submission: an object with exactly {@code id} and {@code url};
 * an id of 1-256 printable characters, unique within the batch; an http(s) URL of at most 8192
 * characters that parses. Whether the URL's host may be fetched is decided later, by the download
 * stage's SSRF guard (its answer becomes the item's outcome).
 */
final class ItemRules {
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_URL_LENGTH = 8192;
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    /** Ids seen so far and where: "index 3" or "line 4". */
    private final Map<String, String> seen = new HashMap<>();

    /** Thrown for a refused item; the message names the rule and the value. */
    static final class Refused extends Exception {
        final String id;

        Refused(String id, String reason) {
            super(reason, null, false, false);
            this.id = id;
        }
    }

    /** Checks one item; {@code where} names its position for the duplicate-id message. */
    BatchSubmission.Item check(JsonNode node, String where) throws Refused {
        if (node == null || !node.isObject()) {
            throw new Refused(null, "item must be an object with \"id\" and \"url\", got " + describe(node));
        }
        String id = id(node.get("id"));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("id") && !name.equals("url")) {
                throw new Refused(id, "unknown field '" + abbreviate(name, 40) + "' (allowed: id, url)");
            }
        }
        String url = url(id, node.get("url"));
        String first = seen.putIfAbsent(id, where);
        if (first != null) {
            throw new Refused(id, "id '" + abbreviate(id, 80) + "' appears twice in the batch (first at " + first
                    + "); ids must be unique");
        }
        return new BatchSubmission.Item(id, url);
    }

    private static String id(JsonNode v) throws Refused {
        if (v == null || v.isNull()) {
            throw new Refused(null, "\"id\" is missing");
        }
        String id;
        if (v.isTextual()) {
            id = v.asText();
        } else if (v.isIntegralNumber()) {
            id = v.asText(); // ids are often row numbers; they come back as strings
        } else {
            throw new Refused(null, "\"id\" must be a string, got " + describe(v));
        }
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new Refused(id.isEmpty() ? null : abbreviate(id, 80), "\"id\" must be 1 to " + MAX_ID_LENGTH
                    + " characters, got " + id.length());
        }
        if (!id.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw new Refused(null, "\"id\" must not contain control characters, got " + describe(v));
        }
        return id;
    }

    private static String url(String id, JsonNode v) throws Refused {
        if (v == null || v.isNull()) {
            throw new Refused(id, "\"url\" is missing");
        }
        if (!v.isTextual()) {
            throw new Refused(id, "\"url\" must be a string, got " + describe(v));
        }
        String url = v.asText().strip();
        if (url.length() > MAX_URL_LENGTH) {
            throw new Refused(id, "\"url\" is " + url.length() + " characters, limit " + MAX_URL_LENGTH);
        }
        Matcher scheme = SCHEME.matcher(url);
        if (!scheme.find()) {
            throw new Refused(id, "\"url\" " + quote(url) + " has no scheme; only http and https are allowed");
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        if (!name.equals("http") && !name.equals("https")) {
            throw new Refused(id, "\"url\" " + quote(url) + " uses scheme '" + name
                    + "'; only http and https are allowed");
        }
        if (!parses(url)) {
            throw new Refused(id, "\"url\" " + quote(url) + " is not a valid URL");
        }
        return url;
    }

    /** java.net.URI first (several times faster); OkHttp's more lenient parser decides what URI refuses. */
    private static boolean parses(String url) {
        try {
            if (new URI(url).getHost() != null) {
                return true;
            }
        } catch (URISyntaxException e) {
            // e.g. a space in the path: OkHttp, which downloads it, encodes that
        }
        return HttpUrl.parse(url) != null;
    }

    static String describe(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        String kind = v.isObject() ? "an object" : v.isArray() ? "an array" : v.isTextual() ? "a string"
                : v.isNumber() ? "a number" : v.isBoolean() ? "a boolean" : "null";
        return kind + (v.isContainerNode() ? "" : " " + abbreviate(v.toString(), 80));
    }

    static String quote(String s) {
        return "'" + abbreviate(s, 200) + "'";
    }

    static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }
}
