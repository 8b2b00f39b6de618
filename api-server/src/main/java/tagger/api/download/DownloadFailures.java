package tagger.api.download;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import tagger.common.ErrorCode;

/**
 * Names what went wrong when OkHttp reports an {@link IOException}: a blocked address, a timeout, or a
 * failed connection, each with the stable error code clients script against.
 */
final class DownloadFailures {

    private DownloadFailures() {
    }

    static DownloadException describe(IOException e, DownloadConfig config) {
        BlockedAddressException blocked = find(e, BlockedAddressException.class);
        if (blocked != null) {
            return new DownloadException(ErrorCode.BLOCKED_ADDRESS, blocked.getMessage(), e);
        }
        SocketTimeoutException timeout = find(e, SocketTimeoutException.class);
        if (timeout != null) {
            String text = String.valueOf(timeout.getMessage()).toLowerCase(Locale.ROOT);
            return text.contains("connect")
                    ? new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT,
                            "could not connect within " + config.connectTimeout().toMillis() + " ms", e)
                    : new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT,
                            "origin sent nothing for " + config.readTimeout().toMillis() + " ms (read timeout)", e);
        }
        if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
            return new DownloadException(ErrorCode.DOWNLOAD_TIMEOUT, "download timed out", e);
        }
        UnknownHostException unknown = find(e, UnknownHostException.class);
        if (unknown != null) {
            return new DownloadException(ErrorCode.DOWNLOAD_FAILED, "could not resolve host: " + unknown.getMessage(), e);
        }
        ConnectException refused = find(e, ConnectException.class);
        if (refused != null) {
            return new DownloadException(ErrorCode.DOWNLOAD_FAILED, "could not connect: " + refused.getMessage(), e);
        }
        if (e instanceof ProtocolException && String.valueOf(e.getMessage()).contains("unexpected end of stream")) {
            return new DownloadException(ErrorCode.DOWNLOAD_FAILED,
                    "connection closed before the whole body arrived (" + e.getMessage() + ")", e);
        }
        if (find(e, SSLException.class) != null) {
            return new DownloadException(ErrorCode.DOWNLOAD_FAILED, "TLS failed: " + e.getMessage(), e);
        }
        return new DownloadException(ErrorCode.DOWNLOAD_FAILED, "download failed: " + e, e);
    }

    /** The first {@code type} among {@code e}, its causes and what they suppressed (OkHttp keeps one per route). */
    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return type.cast(suppressed);
                }
            }
        }
        return null;
    }
}
