package tagger.api.download;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Resolves host names and refuses the whole answer if any address in it is refused by the policy.
 *
 * <p>OkHttp connects to the addresses this returns, so the addresses checked are the ones connected
 * to: a name cannot be re-resolved to a private address between check and connect (DNS rebinding).
 * Refusing the whole answer rather than filtering it keeps a mixed public/private answer from
 * becoming a way to probe which internal addresses exist.
 */
final class GuardedDns implements Dns {
    private final Dns delegate;
    private final AddressPolicy policy;

    GuardedDns(Dns delegate, AddressPolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = delegate.lookup(hostname);
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw new BlockedAddressException("host '" + hostname + "' resolves to " + refusal.get());
            }
        }
        return addresses;
    }
}
