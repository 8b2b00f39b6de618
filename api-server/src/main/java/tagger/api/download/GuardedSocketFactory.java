package tagger.api.download;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * Makes sockets that check the policy on the exact address they are about to connect to: the last
 * wall behind the URL and DNS checks.
 *
 * <p>OkHttp resolves hosts that look like IP literals with {@link InetAddress#getByName} and never
 * asks {@link okhttp3.Dns}; the URL check covers those today, and this covers whatever path a future
 * OkHttp version adds. TLS sockets are layered over these plain ones, so https is covered too.
 */
final class GuardedSocketFactory extends SocketFactory {
    private final AddressPolicy policy;

    GuardedSocketFactory(AddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket(policy);
    }

    // OkHttp only calls createSocket(); the connecting variants would connect before we could check.
    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("connect through createSocket() so the address is checked");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("connect through createSocket() so the address is checked");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("connect through createSocket() so the address is checked");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("connect through createSocket() so the address is checked");
    }

    /** A socket that refuses to connect to a refused address. */
    private static final class GuardedSocket extends Socket {
        private final AddressPolicy policy;

        GuardedSocket(AddressPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress target) || target.isUnresolved()) {
                throw new BlockedAddressException("connection to unresolved " + endpoint + " refused");
            }
            Optional<String> refusal = policy.refusal(target.getAddress());
            if (refusal.isPresent()) {
                throw new BlockedAddressException("connection to port " + target.getPort() + " of "
                        + refusal.get());
            }
            super.connect(endpoint, timeout);
        }
    }
}
