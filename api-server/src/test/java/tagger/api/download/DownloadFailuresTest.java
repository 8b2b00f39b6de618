package tagger.api.download;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;

class DownloadFailuresTest {
    private final DownloadConfig config = new DownloadConfig(Duration.ofMillis(1500), Duration.ofMillis(2500),
            Duration.ofSeconds(10), 1024, 5, false, 4, 4, "t");

    @Test
    void blockedAddressIsFoundAmongSuppressedRouteFailures() {
        IOException first = new ConnectException("Connection refused");
        first.addSuppressed(new BlockedAddressException("connection to port 80 of 10.0.0.5, a private address;"
                + " private networks are not allowed"));
        assertDescribed(first, ErrorCode.BLOCKED_ADDRESS,
                "connection to port 80 of 10.0.0.5, a private address; private networks are not allowed");
    }

    @Test
    void blockedAddressWinsOverTheUnknownHostExceptionItExtends() {
        assertDescribed(new IOException("wrapped", new BlockedAddressException("host 'x' resolves to 127.0.0.1, a"
                + " loopback address; private networks are not allowed")), ErrorCode.BLOCKED_ADDRESS,
                "host 'x' resolves to 127.0.0.1, a loopback address; private networks are not allowed");
    }

    @Test
    void connectAndReadTimeoutsNameTheirLimits() {
        assertDescribed(new SocketTimeoutException("Connect timed out"), ErrorCode.DOWNLOAD_TIMEOUT,
                "could not connect within 1500 ms");
        assertDescribed(new SocketTimeoutException("timeout"), ErrorCode.DOWNLOAD_TIMEOUT,
                "origin sent nothing for 2500 ms (read timeout)");
        assertDescribed(new InterruptedIOException("timeout"), ErrorCode.DOWNLOAD_TIMEOUT, "download timed out");
    }

    @Test
    void resolutionConnectionAndTlsFailuresAreFailedDownloads() {
        assertDescribed(new UnknownHostException("nowhere.example"), ErrorCode.DOWNLOAD_FAILED,
                "could not resolve host: nowhere.example");
        assertDescribed(new ConnectException("Connection refused"), ErrorCode.DOWNLOAD_FAILED,
                "could not connect: Connection refused");
        assertDescribed(new SSLHandshakeException("PKIX path building failed"), ErrorCode.DOWNLOAD_FAILED,
                "TLS failed: PKIX path building failed");
        assertDescribed(new IOException("Canceled"), ErrorCode.DOWNLOAD_FAILED,
                "download failed: java.io.IOException: Canceled");
    }

    private void assertDescribed(IOException e, ErrorCode code, String message) {
        DownloadException described = DownloadFailures.describe(e, config);
        assertEquals(message, described.getMessage());
        assertEquals(code, described.code());
    }
}
