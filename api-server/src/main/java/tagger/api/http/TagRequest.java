package tagger.api.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tagger.common.Json;

/**
 * A parsed and validated {@code POST /v1/tags} JSON body: exactly one of {@code url} or {@code urls},
 * plus optional {@code topK}, {@code minScore}, {@code timeoutMs} and {@code cache} (false opts out of
 * the result cache).
 */
record TagRequest(String url, List<String> urls, Integer topK, Double minScore, Duration timeout, boolean cache) {
    private static final Set<String> FIELDS = Set.of("url", "urls", "topK", "minScore", "timeoutMs", "cache");

    boolean isList() {
        return urls != null;
    }

    /** Parses a JSON body; every problem is listed in the exception's message. */
    static TagRequest parseJson(byte[] body, int maxUrls, Duration defaultTimeout, Duration maxTimeout) {
        JsonNode root;
        try {
            // a second value after the object is malformed, not something to ignore
            root = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw RequestException.invalid("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RequestException.invalid("body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw RequestException.invalid("body must be a JSON object with \"url\" or \"urls\"");
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                problems.add("unknown field '" + name + "' (allowed: url, urls, topK, minScore, timeoutMs, cache)");
            }
        }
        JsonNode url = root.get("url");
        JsonNode urls = root.get("urls");
        String single = null;
        List<String> list = null;
        if ((url == null) == (urls == null)) {
            problems.add("exactly one of \"url\" or \"urls\" is required");
        } else if (url != null) {
            if (!url.isTextual() || url.asText().isBlank()) {
                problems.add("\"url\" must be a non-empty string, got " + url);
            } else {
                single = url.asText();
            }
        } else if (!urls.isArray() || urls.isEmpty()) {
            problems.add("\"urls\" must be a non-empty array of strings, got " + abbreviate(urls.toString()));
        } else if (urls.size() > maxUrls) {
            problems.add("\"urls\" may hold at most " + maxUrls + " URLs, got " + urls.size());
        } else {
            list = new ArrayList<>();
            for (int i = 0; i < urls.size(); i++) {
                JsonNode u = urls.get(i);
                if (!u.isTextual() || u.asText().isBlank()) {
                    problems.add("\"urls\"[" + i + "] must be a non-empty string, got " + abbreviate(u.toString()));
                }
                list.add(u.asText());
            }
        }
        Integer topK = OptionText.topK(root.get("topK"), problems);
        Double minScore = OptionText.minScore(root.get("minScore"), problems);
        Duration timeout = defaultTimeout;
        JsonNode t = root.get("timeoutMs");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || t.asLong() < 1 || t.asLong() > maxTimeout.toMillis()) {
                problems.add("\"timeoutMs\" must be an integer between 1 and " + maxTimeout.toMillis() + ", got " + t);
            } else {
                timeout = Duration.ofMillis(t.asLong());
            }
        }
        boolean cache = true;
        JsonNode c = root.get("cache");
        if (c != null && !c.isNull()) {
            if (!c.isBoolean()) {
                problems.add("\"cache\" must be true or false, got " + abbreviate(c.toString()));
            } else {
                cache = c.asBoolean();
            }
        }
        if (!problems.isEmpty()) {
            throw RequestException.invalid(String.join("; ", problems));
        }
        return new TagRequest(single, list, topK, minScore, timeout, cache);
    }

    /** Options of a raw-bytes upload come from the query string; the result cache is used. */
    static TagRequest parseQuery(String topK, String minScore, String timeoutMs, Duration defaultTimeout,
            Duration maxTimeout) {
        return parseQuery(topK, minScore, timeoutMs, null, defaultTimeout, maxTimeout);
    }

    /** Options of a raw-bytes upload come from the query string; {@code cache=false} opts out of the result cache. */
    static TagRequest parseQuery(String topK, String minScore, String timeoutMs, String cache,
            Duration defaultTimeout, Duration maxTimeout) {
        List<String> problems = new ArrayList<>();
        boolean useCache = true;
        if (cache != null) {
            if (cache.equalsIgnoreCase("false") || cache.equalsIgnoreCase("true")) {
                useCache = Boolean.parseBoolean(cache.toLowerCase(Locale.ROOT));
            } else {
                problems.add("cache must be true or false, got '" + abbreviate(cache) + "'");
            }
        }
        Integer k = OptionText.topK(topK, problems, v -> v);
        Double m = OptionText.minScore(minScore, problems, v -> v);
        Duration timeout = defaultTimeout;
        if (timeoutMs != null) {
            try {
                long ms = Long.parseLong(timeoutMs);
                if (ms < 1 || ms > maxTimeout.toMillis()) {
                    problems.add("timeoutMs must be between 1 and " + maxTimeout.toMillis() + ", got " + ms);
                } else {
                    timeout = Duration.ofMillis(ms);
                }
            } catch (NumberFormatException e) {
                problems.add("timeoutMs must be an integer, got '" + timeoutMs + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw RequestException.invalid(String.join("; ", problems));
        }
        return new TagRequest(null, null, k, m, timeout, useCache);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
