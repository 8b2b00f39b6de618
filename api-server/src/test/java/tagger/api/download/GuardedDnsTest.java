package tagger.api.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tagger.api.download.AddressPolicyTest.ip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;

class GuardedDnsTest {
    /** A resolver with a fixed answer per name, so no test depends on real DNS. */
    static Dns fixed(Map<String, List<String>> answers) {
        return host -> {
            List<String> ips = answers.get(host);
            if (ips == null) {
                throw new UnknownHostException(host + ": no such host in the test's DNS");
            }
            List<InetAddress> out = new java.util.ArrayList<>();
            for (String literal : ips) {
                out.add(ip(literal));
            }
            return out;
        };
    }

    @Test
    void nameResolvingToAPrivateAddressIsRefusedNamingHostAddressAndRule() {
        Dns dns = new GuardedDns(fixed(Map.of("internal.example", List.of("10.0.0.5"))), AddressPolicy.standard(false));
        BlockedAddressException e = assertThrows(BlockedAddressException.class, () -> dns.lookup("internal.example"));
        assertEquals("host 'internal.example' resolves to 10.0.0.5, a private address; private networks are not allowed",
                e.getMessage());
    }

    @Test
    void oneRefusedAddressAmongPublicOnesRefusesTheWholeAnswer() {
        Dns dns = new GuardedDns(fixed(Map.of("mixed.example", List.of("8.8.8.8", "2606:4700::1111", "fd00:ec2::254"))),
                AddressPolicy.standard(true));
        BlockedAddressException e = assertThrows(BlockedAddressException.class, () -> dns.lookup("mixed.example"));
        assertEquals("host 'mixed.example' resolves to fd00:ec2::254, a cloud metadata address; always denied",
                e.getMessage());
    }

    @Test
    void publicAnswerIsReturnedUnchanged() throws Exception {
        Dns dns = new GuardedDns(fixed(Map.of("cdn.example", List.of("8.8.8.8", "2606:4700::1111"))),
                AddressPolicy.standard(false));
        assertEquals(List.of(ip("8.8.8.8"), ip("2606:4700::1111")), dns.lookup("cdn.example"));
    }

    @Test
    void loopbackAnswerPassesOnlyWithPrivateNetworksAllowed() throws Exception {
        Dns delegate = fixed(Map.of("localhost", List.of("127.0.0.1", "::1")));
        assertEquals(2, new GuardedDns(delegate, AddressPolicy.standard(true)).lookup("localhost").size());
        assertThrows(BlockedAddressException.class,
                () -> new GuardedDns(delegate, AddressPolicy.standard(false)).lookup("localhost"));
    }

    @Test
    void resolutionFailureIsPassedOnAsItIsNotAsABlock() {
        Dns dns = new GuardedDns(fixed(Map.of()), AddressPolicy.standard(false));
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> dns.lookup("nowhere.example"));
        assertFalse(e instanceof BlockedAddressException);
    }
}
