package tagger.api.download;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import tagger.common.ErrorCode;

/**
 * Turns a caller's URL, or a redirect's {@code Location}, into an {@link HttpUrl} the downloader may
 * request, or says why not.
 *
 * <p>Host names are checked later, by {@link GuardedDns}, on the addresses actually connected to. IP
 * literals are checked here because OkHttp never asks {@code Dns} about them: it hands any host made
 * of digits and dots to {@link InetAddress#getByName}, which also accepts the BSD shorthands
 * {@code 2130706433} and {@code 127.1} (both 127.0.0.1) and sends anything it cannot parse, such as
 * {@code 1.2.3.4.5}, to the system resolver unguarded. So numeric hosts are parsed here, rewritten to
 * a dotted quad, and checked; hosts that end in a number but are not decimal IPv4 (hex {@code 0x7f.1},
 * octal-looking {@code 0177.0.0.1}) are refused, because parsers disagree on what they mean.
 */
final class UrlGuard {
    /** Longer URLs are almost always abuse; browsers and CDNs start failing around here too. */
    static final int MAX_URL_LENGTH = 8192;

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");

    private final AddressPolicy policy;

    UrlGuard(AddressPolicy policy) {
        this.policy = policy;
    }

    /** Checks a URL a caller sent. */
    HttpUrl check(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("URL is empty");
        }
        requireHttpScheme(url, "URL", true);
        HttpUrl parsed;
        try {
            parsed = HttpUrl.get(url);
        } catch (IllegalArgumentException e) {
            throw invalid("URL " + quote(url) + " is not valid: " + e.getMessage());
        }
        return checkParsed(parsed, "");
    }

    /** Checks where a redirect from {@code from} leads. */
    HttpUrl checkRedirect(HttpUrl from, String location) {
        requireHttpScheme(location, "redirect to", false); // a relative Location has no scheme
        HttpUrl next = from.resolve(location);
        if (next == null) {
            throw invalid("redirect to " + quote(location) + " is not a valid URL");
        }
        return checkParsed(next, "redirect to " + quote(next.toString()) + " refused: ");
    }

    private HttpUrl checkParsed(HttpUrl url, String context) {
        String text = url.toString();
        if (text.length() > MAX_URL_LENGTH) {
            throw invalid(context + "URL is " + text.length() + " characters, limit " + MAX_URL_LENGTH);
        }
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            // "http://trusted.example@evil.example/" reads as the first host to people; refuse the trick.
            throw invalid(context + "URLs with user info ('user@host') are not accepted");
        }
        String host = url.host();
        if (host.contains(":")) {
            return checkLiteral(url, host, context); // IPv6; HttpUrl has validated and canonicalised it
        }
        String withoutDot = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String lastLabel = withoutDot.substring(withoutDot.lastIndexOf('.') + 1);
        if (!NUMERIC_LABEL.matcher(lastLabel).matches()) {
            return url; // a name: GuardedDns checks what it resolves to
        }
        if (!DIGITS_AND_DOTS.matcher(withoutDot).matches()) {
            throw invalid(context + "host '" + host + "' ends in a number but is not a decimal IPv4 address;"
                    + " write the address as a.b.c.d");
        }
        String dottedQuad = dottedQuad(withoutDot, host, context);
        return checkLiteral(url.newBuilder().host(dottedQuad).build(), host, context);
    }

    private HttpUrl checkLiteral(HttpUrl url, String hostAsGiven, String context) {
        InetAddress address = AddressClassifier.literal(url.host());
        Optional<String> refusal = policy.refusal(address);
        if (refusal.isPresent()) {
            throw new DownloadException(ErrorCode.BLOCKED_ADDRESS,
                    context + "host '" + hostAsGiven + "' is " + refusal.get());
        }
        return url;
    }

    /**
     * Parses decimal IPv4 in the 1-to-4-part forms {@link InetAddress} accepts (the last part fills the
     * remaining bytes) and returns it as a.b.c.d.
     */
    private static String dottedQuad(String numeric, String host, String context) {
        String[] parts = numeric.split("\\.", -1);
        if (parts.length > 4) {
            throw invalid(context + "host '" + host + "' has " + parts.length + " numeric parts; an IPv4 address has 4");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.length() > 1 && part.charAt(0) == '0') {
                throw invalid(context + "host '" + host + "' has a part with a leading zero, which some parsers"
                        + " read as octal; write the address as a.b.c.d without leading zeros");
            }
            if (part.isEmpty() || part.length() > 10) {
                throw invalid(context + "host '" + host + "' is not a valid IPv4 address");
            }
            values[i] = Long.parseLong(part);
            long limit = i < parts.length - 1 ? 255 : (1L << (8 * (5 - parts.length))) - 1;
            if (values[i] > limit) {
                throw invalid(context + "host '" + host + "' is not a valid IPv4 address: part " + part
                        + " is over " + limit);
            }
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            address |= values[i] << (8 * (3 - i));
        }
        address |= values[parts.length - 1];
        return String.format(Locale.ROOT, "%d.%d.%d.%d",
                address >>> 24 & 0xff, address >>> 16 & 0xff, address >>> 8 & 0xff, address & 0xff);
    }

    private static void requireHttpScheme(String url, String what, boolean required) {
        var scheme = SCHEME.matcher(url.strip());
        if (!scheme.find()) {
            if (!required) {
                return;
            }
            throw invalid(what + " " + quote(url) + " has no scheme; only http and https are allowed");
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        if (!name.equals("http") && !name.equals("https")) {
            throw invalid(what + " " + quote(url) + " uses scheme '" + name + "'; only http and https are allowed");
        }
    }

    /** Quotes user-supplied text for a message, cut short so a huge URL cannot bloat logs. */
    static String quote(String text) {
        return "'" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + "'";
    }

    private static DownloadException invalid(String message) {
        return new DownloadException(ErrorCode.INVALID_URL, message);
    }
}
