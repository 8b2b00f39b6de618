package tagger.api.bulk;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tagger.api.http.OptionText;
import tagger.api.http.RequestCode;
import tagger.api.http.RequestException;
import tagger.common.Json;
import tagger.common.Sha256;

/**
 * Reads a bulk submission as a stream — one small item at a time, never the whole body as a tree —
 * in any of three shapes:
 * <ul>
 *   <li>{@code application/json} object: {@code {"items": [{"id", "url"}...], "topK", "minScore",
 *       "callbackUrl", "batchId", "targetSeconds", "deadline", "cache"}};</li>
 *   <li>{@code application/json} array of items, options in the query string;</li>
 *   <li>{@code application/x-ndjson}: one item object per line, options in the query string.</li>
 * </ul>
 * Each item is checked by {@link ItemRules}; a bad item is reported with its position, never
 * dropped silently, and never fails its neighbours. A body that is not JSON at all, bad options or
 * too many items or bytes refuse the whole submission.
 */
final class BatchParser {
    /** Rejections listed in the answer; the count covers all of them. */
    static final int MAX_REPORTED = 1_000;
    /** What a batch id may look like (ids in paths are checked against it before the store is asked). */
    static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final List<String> OPTIONS = List.of("topK", "minScore", "callbackUrl", "batchId", "targetSeconds",
            "deadline", "cache");
    /** Shortest finishing target: below it a plan of worker counts means nothing (workers take longer to start). */
    static final long MIN_TARGET_SECONDS = 10;
    /** Longest finishing target: a batch's retention is at most a few weeks anyway. */
    static final long MAX_TARGET_SECONDS = 30L * 86_400;

    private final int maxItems;
    private final long maxBytes;

    BatchParser(int maxItems, long maxBytes) {
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    /** Thrown by the byte-limited stream; a subclass of IOException so it passes through Jackson. */
    private static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("request body exceeds " + limit + " bytes, the limit (TAGGER_BULK_MAX_REQUEST_BYTES)");
        }
    }

    /**
     * @param query the query-string options ({@code topK}, {@code minScore}, {@code callbackUrl},
     *              {@code batchId}, {@code targetSeconds}, {@code deadline}, {@code cache}); absent ones are null
     */
    BatchSubmission parse(InputStream body, String contentType, Map<String, String> query) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        Collector items = new Collector();
        InputStream in = limited(body);
        try {
            if (type.equals("application/x-ndjson") || type.equals("application/jsonl")) {
                readNdjson(in, items);
                return items.finish(options(query, null));
            }
            if (!type.isEmpty() && !type.equals("application/json")) {
                throw new RequestException(RequestCode.INVALID_REQUEST, 415, "Content-Type must be application/json or "
                        + "application/x-ndjson, got '" + contentType + "'");
            }
            return readJson(in, items, query);
        } catch (TooLarge e) {
            throw new RequestException(RequestCode.PAYLOAD_TOO_LARGE, e.getMessage());
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof TooLarge t) {
                throw new RequestException(RequestCode.PAYLOAD_TOO_LARGE, t.getMessage());
            }
            throw RequestException.invalid("body is not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RequestException.invalid("body could not be read: " + e.getMessage());
        }
    }

    private BatchSubmission readJson(InputStream in, Collector items, Map<String, String> query) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                readArray(p, items);
                requireEnd(p);
                return items.finish(options(query, null));
            }
            if (first != JsonToken.START_OBJECT) {
                throw RequestException.invalid("body must be a JSON object with \"items\", a JSON array of items, "
                        + "or NDJSON; got " + (first == null ? "nothing" : first.asString()));
            }
            Map<String, JsonNode> bodyOptions = new java.util.LinkedHashMap<>();
            boolean sawItems = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("items")) {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        throw RequestException.invalid("\"items\" must be an array of {\"id\", \"url\"} objects, "
                                + "got " + ItemRules.describe(Json.MAPPER.readTree(p)));
                    }
                    readArray(p, items);
                    sawItems = true;
                } else if (OPTIONS.contains(name)) {
                    bodyOptions.put(name, Json.MAPPER.readTree(p));
                } else {
                    throw RequestException.invalid("unknown field '" + ItemRules.abbreviate(name, 40)
                            + "' (allowed: items, " + String.join(", ", OPTIONS) + ")");
                }
            }
            requireEnd(p);
            if (!sawItems) {
                throw RequestException.invalid("body has no \"items\" array");
            }
            return items.finish(options(query, bodyOptions));
        }
    }

    private void readArray(JsonParser p, Collector items) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                throw new JsonParseException(p, "the items array is not closed");
            }
            JsonNode node = Json.MAPPER.readTree(p);
            items.add(node, null);
        }
    }

    private void readNdjson(InputStream in, Collector items) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                items.reject(number, null, "line is not valid JSON: " + e.getOriginalMessage());
                continue;
            }
            items.add(node, number);
        }
    }

    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw RequestException.invalid("body has content after its JSON value, at line "
                    + p.currentLocation().getLineNr());
        }
    }

    private static BatchSubmission.Options options(Map<String, String> query, Map<String, JsonNode> body) {
        List<String> problems = new ArrayList<>();
        if (body != null) {
            for (String name : body.keySet()) {
                if (query.get(name) != null) {
                    problems.add("\"" + name + "\" is given both in the body and in the query string");
                }
            }
        }
        Integer topK = OptionText.topK(value(query, body, "topK"), problems, v -> ItemRules.abbreviate(v, 40));
        Double minScore = OptionText.minScore(value(query, body, "minScore"), problems,
                v -> ItemRules.abbreviate(v, 40));
        String callbackUrl = value(query, body, "callbackUrl");
        String batchId = value(query, body, "batchId");
        if (batchId != null && !BATCH_ID.matcher(batchId).matches()) {
            problems.add("batchId must be 1-64 letters, digits, '.', '_' or '-', got '"
                    + ItemRules.abbreviate(batchId, 80) + "'");
        }
        Long targetSeconds = null;
        String t = value(query, body, "targetSeconds");
        if (t != null) {
            try {
                targetSeconds = Long.valueOf(t);
                if (targetSeconds < MIN_TARGET_SECONDS || targetSeconds > MAX_TARGET_SECONDS) {
                    problems.add("targetSeconds must be between " + MIN_TARGET_SECONDS + " and " + MAX_TARGET_SECONDS
                            + ", got " + t);
                }
            } catch (NumberFormatException e) {
                problems.add("targetSeconds must be a whole number of seconds, got '" + ItemRules.abbreviate(t, 40) + "'");
            }
        }
        java.time.Instant deadline = null;
        String d = value(query, body, "deadline");
        if (d != null) {
            try {
                deadline = java.time.OffsetDateTime.parse(d).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                problems.add("deadline must be an ISO-8601 date-time with an offset (2026-12-03T18:00:00Z), got '"
                        + ItemRules.abbreviate(d, 60) + "'");
            }
        }
        if (t != null && d != null) {
            problems.add("give targetSeconds or deadline, not both");
        }
        String c = value(query, body, "cache");
        if (c != null && !c.equalsIgnoreCase("true") && !c.equalsIgnoreCase("false")) {
            problems.add("cache must be true or false, got '" + ItemRules.abbreviate(c, 40) + "'");
        }
        if (!problems.isEmpty()) {
            throw RequestException.invalid(String.join("; ", problems));
        }
        return new BatchSubmission.Options(topK, minScore, callbackUrl, batchId, targetSeconds, deadline,
                !"false".equalsIgnoreCase(c));
    }

    private static String value(Map<String, String> query, Map<String, JsonNode> body, String name) {
        if (body != null && body.containsKey(name)) {
            JsonNode v = body.get(name);
            return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
        }
        String q = query.get(name);
        return q == null || q.isBlank() ? null : q.strip();
    }

    private InputStream limited(InputStream in) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0 && ++count > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0 && (count += n) > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                return n;
            }
        };
    }

    /** Items and rejections in input order, the item limit, and the fingerprint. */
    private final class Collector {
        private final ItemRules rules = new ItemRules();
        private final List<BatchSubmission.Item> items = new ArrayList<>();
        private final List<BatchSubmission.Rejection> rejected = new ArrayList<>();
        private int rejectedCount;
        private int index;

        void add(JsonNode node, Integer line) {
            count();
            int at = index++;
            try {
                items.add(rules.check(node, line == null ? "index " + at : "line " + line));
            } catch (ItemRules.Refused r) {
                record(at, line, r.id, r.getMessage());
            }
        }

        /** A line that is not even JSON. */
        void reject(int line, String id, String reason) {
            count();
            record(index++, line, id, reason);
        }

        private void record(int at, Integer line, String id, String reason) {
            rejectedCount++;
            if (rejected.size() < MAX_REPORTED) {
                rejected.add(new BatchSubmission.Rejection(at, line, id, reason));
            }
        }

        private void count() {
            if (index >= maxItems) {
                throw new RequestException(RequestCode.TOO_MANY_ITEMS, "batch has more than " + maxItems
                        + " items, the limit (TAGGER_BULK_MAX_ITEMS); submit it in several batches");
            }
        }

        BatchSubmission finish(BatchSubmission.Options options) {
            if (index == 0) {
                throw RequestException.invalid("batch has no items");
            }
            return new BatchSubmission(options, List.copyOf(items), List.copyOf(rejected), rejectedCount,
                    fingerprint(options, items));
        }
    }

    static String fingerprint(BatchSubmission.Options o, List<BatchSubmission.Item> items) {
        MessageDigest sha = Sha256.digest();
        // "cache" only when off, so that fingerprints of batches made before the option stay the same
        sha.update((o.topK() + "\n" + o.minScore() + "\n" + o.callbackUrl() + "\n" + (o.cache() ? "" : "nocache\n"))
                .getBytes(StandardCharsets.UTF_8));
        for (BatchSubmission.Item i : items) {
            sha.update((i.id() + "\u0000" + i.url() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
