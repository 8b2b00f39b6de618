package tagger.api.download;

import java.net.UnknownHostException;

/**
 * The SSRF guard refused an address. An {@link UnknownHostException} only because that is the one
 * checked exception {@link okhttp3.Dns#lookup} may throw; the downloader reports it as
 * {@code blocked_address}, never as a resolution failure.
 */
final class BlockedAddressException extends UnknownHostException {

    BlockedAddressException(String message) {
        super(message);
    }
}
