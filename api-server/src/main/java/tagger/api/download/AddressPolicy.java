package tagger.api.download;

import java.net.InetAddress;
import java.util.Optional;

/** Decides which IP addresses the downloader may connect to (the SSRF guard's rule). */
@FunctionalInterface
public interface AddressPolicy {

    /**
     * Why a connection to {@code address} is refused, phrased to follow the address in a message
     * ("10.0.0.5, a private address; private networks are not allowed"), or empty when it is allowed.
     */
    Optional<String> refusal(InetAddress address);

    /**
     * The default rule: public addresses only, unless {@code allowPrivateNetworks} opts in to loopback,
     * private, link-local, unique-local and CGNAT ranges for local use. Cloud metadata, unspecified,
     * multicast, reserved and special-purpose addresses stay refused either way.
     */
    static AddressPolicy standard(boolean allowPrivateNetworks) {
        return address -> {
            AddressClassifier.Classification c = AddressClassifier.classify(address);
            String subject = AddressClassifier.format(address) + ", " + c.describe();
            return switch (c.kind().permit()) {
                case ALWAYS -> Optional.empty();
                case WITH_PRIVATE_NETWORKS -> allowPrivateNetworks ? Optional.empty()
                        : Optional.of(subject + "; private networks are not allowed");
                case NEVER -> Optional.of(subject + "; always denied");
            };
        };
    }
}
