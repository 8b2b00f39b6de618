package tagger.api.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tagger.common.ErrorCode;

class UrlGuardTest {
    private final UrlGuard publicOnly = new UrlGuard(AddressPolicy.standard(false));
    private final UrlGuard privateAllowed = new UrlGuard(AddressPolicy.standard(true));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://example.com/a.jpg | URL 'ftp://example.com/a.jpg' uses scheme 'ftp'; only http and https are allowed",
        "file:///etc/passwd | URL 'file:///etc/passwd' uses scheme 'file'; only http and https are allowed",
        "gopher://127.0.0.1:6379/_INFO | URL 'gopher://127.0.0.1:6379/_INFO' uses scheme 'gopher'; only http and https are allowed",
        "javascript:alert(1) | URL 'javascript:alert(1)' uses scheme 'javascript'; only http and https are allowed",
        "example.com/cat.jpg | URL 'example.com/cat.jpg' has no scheme; only http and https are allowed",
        "not a url | URL 'not a url' has no scheme; only http and https are allowed",
    })
    void nonHttpUrlsAreInvalidWithTheReason(String url, String message) {
        assertRefused(publicOnly, url, ErrorCode.INVALID_URL, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://", "http://exa mple.com/", "https://[::1/", "http://example.com:99999/"})
    void unparseableHttpUrlsAreInvalid(String url) {
        DownloadException e = assertThrows(DownloadException.class, () -> publicOnly.check(url));
        assertEquals(ErrorCode.INVALID_URL, e.code());
        assertEquals(true, e.getMessage().startsWith("URL '" + url + "' is not valid: "), e.getMessage());
    }

    @Test
    void emptyUrlIsInvalid() {
        assertRefused(publicOnly, " ", ErrorCode.INVALID_URL, "URL is empty");
    }

    @Test
    void userInfoIsRefusedBecauseItDisguisesTheHost() {
        assertRefused(publicOnly, "http://trusted.example:80@evil.example/", ErrorCode.INVALID_URL,
                "URLs with user info ('user@host') are not accepted");
    }

    @Test
    void overlongUrlIsRefusedWithItsLength() {
        String url = "http://example.com/" + "a".repeat(9000);
        assertRefused(publicOnly, url, ErrorCode.INVALID_URL, "URL is 9019 characters, limit 8192");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1/ | host '127.0.0.1' is 127.0.0.1, a loopback address; private networks are not allowed",
        "http://127.0.0.1.:8080/ | host '127.0.0.1.' is 127.0.0.1, a loopback address; private networks are not allowed",
        "http://2130706433/ | host '2130706433' is 127.0.0.1, a loopback address; private networks are not allowed",
        "http://127.1/ | host '127.1' is 127.0.0.1, a loopback address; private networks are not allowed",
        "http://10.1/ | host '10.1' is 10.0.0.1, a private address; private networks are not allowed",
        "http://167772165/ | host '167772165' is 10.0.0.5, a private address; private networks are not allowed",
        "http://0/ | host '0' is 0.0.0.0, an unspecified address; always denied",
        "http://[::1]/ | host '::1' is ::1, a loopback address; private networks are not allowed",
        "http://[0:0:0:0:0:0:0:1]/ | host '::1' is ::1, a loopback address; private networks are not allowed",
        "http://[::ffff:127.0.0.1]/ | host '127.0.0.1' is 127.0.0.1, a loopback address; private networks are not allowed",
        "http://[::ffff:a00:5]/ | host '10.0.0.5' is 10.0.0.5, a private address; private networks are not allowed",
        "http://[::127.0.0.1]/ | host '::7f00:1' is ::7f00:1, an IPv4-compatible IPv6 address of 127.0.0.1, a loopback address; private networks are not allowed",
        "http://[64:ff9b::10.0.0.5]/ | host '64:ff9b::a00:5' is 64:ff9b::a00:5, a NAT64 address of 10.0.0.5, a private address; private networks are not allowed",
        "http://[2002:a00:5::1]/ | host '2002:a00:5::1' is 2002:a00:5::1, a 6to4 address of 10.0.0.5, a private address; private networks are not allowed",
        "http://[fe80::1]/ | host 'fe80::1' is fe80::1, a link-local address; private networks are not allowed",
        "http://[fd12::1]/ | host 'fd12::1' is fd12::1, a unique-local IPv6 address; private networks are not allowed",
        "http://100.64.0.1/ | host '100.64.0.1' is 100.64.0.1, a carrier-grade NAT address; private networks are not allowed",
        "http://%31%32%37.0.0.1/ | host '127.0.0.1' is 127.0.0.1, a loopback address; private networks are not allowed",
        "http://\uff11\uff12\uff17.0.0.1/ | host '127.0.0.1' is 127.0.0.1, a loopback address; private networks are not allowed",
    })
    void everyLiteralFormOfADeniedAddressIsBlocked(String url, String message) {
        assertRefused(publicOnly, url, ErrorCode.BLOCKED_ADDRESS, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://169.254.169.254/latest/meta-data/ | host '169.254.169.254' is 169.254.169.254, a cloud metadata address; always denied",
        "http://2852039166/ | host '2852039166' is 169.254.169.254, a cloud metadata address; always denied",
        "http://[fd00:ec2::254]/ | host 'fd00:ec2::254' is fd00:ec2::254, a cloud metadata address; always denied",
        "http://[::ffff:169.254.169.254]/ | host '169.254.169.254' is 169.254.169.254, a cloud metadata address; always denied",
        "http://100.100.100.200/ | host '100.100.100.200' is 100.100.100.200, a cloud metadata address; always denied",
    })
    void metadataLiteralsAreBlockedEvenWithPrivateNetworksAllowed(String url, String message) {
        assertRefused(privateAllowed, url, ErrorCode.BLOCKED_ADDRESS, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://0x7f.1/ | host '0x7f.1' ends in a number but is not a decimal IPv4 address; write the address as a.b.c.d",
        "http://0x7f000001/ | host '0x7f000001' ends in a number but is not a decimal IPv4 address; write the address as a.b.c.d",
        "http://images.0x10/ | host 'images.0x10' ends in a number but is not a decimal IPv4 address; write the address as a.b.c.d",
        "http://0177.0.0.1/ | host '0177.0.0.1' has a part with a leading zero, which some parsers read as octal; write the address as a.b.c.d without leading zeros",
        "http://017700000001/ | host '017700000001' has a part with a leading zero, which some parsers read as octal; write the address as a.b.c.d without leading zeros",
        "http://1.2.3.4.5/ | host '1.2.3.4.5' has 5 numeric parts; an IPv4 address has 4",
        "http://256.1.1.1/ | host '256.1.1.1' is not a valid IPv4 address: part 256 is over 255",
        "http://4294967296/ | host '4294967296' is not a valid IPv4 address: part 4294967296 is over 4294967295",
        "http://99999999999/ | host '99999999999' is not a valid IPv4 address",
    })
    void ambiguousNumericHostsAreInvalidRatherThanGuessed(String url, String message) {
        assertRefused(privateAllowed, url, ErrorCode.INVALID_URL, message);
    }

    @Test
    void publicNumericShorthandIsRewrittenToTheDottedQuadThatWasChecked() {
        assertEquals(HttpUrl.get("http://8.8.8.8/a.jpg"), publicOnly.check("http://134744072/a.jpg"));
        assertEquals(HttpUrl.get("http://8.8.8.8:8080/a.jpg"), publicOnly.check("http://8.8.8.8.:8080/a.jpg"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://images.example.com/cat.jpg", "https://cdn.example/a/b.png?x=1",
        "http://localhost:8080/a.jpg", "http://1password.example/a.jpg", "http://[2606:4700::1111]/a.jpg",
        "http://8.8.8.8/a.jpg"})
    void namesAndPublicLiteralsPassUnchangedForTheResolverToCheck(String url) {
        assertEquals(HttpUrl.get(url), publicOnly.check(url));
    }

    @Test
    void loopbackLiteralPassesWithPrivateNetworksAllowed() {
        assertEquals(HttpUrl.get("http://127.0.0.1:8080/a.jpg"), privateAllowed.check("http://127.1:8080/a.jpg"));
    }

    @Test
    void relativeRedirectResolvesAgainstThePreviousUrl() {
        HttpUrl from = HttpUrl.get("https://cdn.example/a/b.jpg");
        assertEquals(HttpUrl.get("https://cdn.example/c.jpg"), publicOnly.checkRedirect(from, "/c.jpg"));
        assertEquals(HttpUrl.get("https://other.example/d.jpg"), publicOnly.checkRedirect(from, "//other.example/d.jpg"));
    }

    @Test
    void redirectToAnotherSchemeIsInvalid() {
        DownloadException e = assertThrows(DownloadException.class,
                () -> publicOnly.checkRedirect(HttpUrl.get("http://cdn.example/"), "file:///etc/passwd"));
        assertEquals(ErrorCode.INVALID_URL, e.code());
        assertEquals("redirect to 'file:///etc/passwd' uses scheme 'file'; only http and https are allowed", e.getMessage());
    }

    @Test
    void redirectToADeniedLiteralIsBlockedNamingTheTarget() {
        DownloadException e = assertThrows(DownloadException.class,
                () -> privateAllowed.checkRedirect(HttpUrl.get("http://cdn.example/"), "http://169.254.169.254/latest/"));
        assertEquals(ErrorCode.BLOCKED_ADDRESS, e.code());
        assertEquals("redirect to 'http://169.254.169.254/latest/' refused: host '169.254.169.254' is 169.254.169.254,"
                + " a cloud metadata address; always denied", e.getMessage());
    }

    private static void assertRefused(UrlGuard guard, String url, ErrorCode code, String message) {
        DownloadException e = assertThrows(DownloadException.class, () -> guard.check(url));
        assertEquals(message, e.getMessage());
        assertEquals(code, e.code());
    }
}
