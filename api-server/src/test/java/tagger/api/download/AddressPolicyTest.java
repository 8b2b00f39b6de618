package tagger.api.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
    private final AddressPolicy publicOnly = AddressPolicy.standard(false);
    private final AddressPolicy privateAllowed = AddressPolicy.standard(true);

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        // IPv4
        "0.0.0.0, UNSPECIFIED", "0.255.255.255, UNSPECIFIED",
        "10.0.0.5, PRIVATE", "10.255.255.255, PRIVATE",
        "100.64.0.1, CARRIER_GRADE_NAT", "100.127.255.254, CARRIER_GRADE_NAT",
        "127.0.0.1, LOOPBACK", "127.255.0.9, LOOPBACK",
        "169.254.0.1, LINK_LOCAL", "169.254.255.255, LINK_LOCAL",
        "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
        "192.0.0.8, SPECIAL_PURPOSE", "192.0.2.1, SPECIAL_PURPOSE", "192.88.99.1, SPECIAL_PURPOSE",
        "192.168.1.1, PRIVATE",
        "198.18.0.1, SPECIAL_PURPOSE", "198.19.255.255, SPECIAL_PURPOSE",
        "198.51.100.7, SPECIAL_PURPOSE", "203.0.113.7, SPECIAL_PURPOSE",
        "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST",
        "240.0.0.1, RESERVED", "255.255.255.255, RESERVED",
        "169.254.169.254, CLOUD_METADATA", "169.254.170.2, CLOUD_METADATA", "100.100.100.200, CLOUD_METADATA",
        "168.63.129.16, CLOUD_METADATA",
        // neighbours just outside the ranges are public
        "100.63.255.255, PUBLIC", "100.128.0.0, PUBLIC", "172.15.255.255, PUBLIC", "172.32.0.0, PUBLIC",
        "198.17.255.255, PUBLIC", "198.20.0.0, PUBLIC", "223.255.255.255, PUBLIC", "11.0.0.1, PUBLIC",
        "8.8.8.8, PUBLIC", "1.1.1.1, PUBLIC",
        // IPv6
        "::, UNSPECIFIED", "::1, LOOPBACK",
        "fe80::1, LINK_LOCAL", "febf:ffff::1, LINK_LOCAL", "fec0::1, PRIVATE",
        "fc00::1, UNIQUE_LOCAL", "fd12:3456::1, UNIQUE_LOCAL",
        "ff02::1, MULTICAST", "ff05::1:3, MULTICAST",
        "2001:db8::1, SPECIAL_PURPOSE", "3fff::1, SPECIAL_PURPOSE", "100::1, SPECIAL_PURPOSE",
        "2001:2::1, SPECIAL_PURPOSE", "64:ff9b:1::a00:5, SPECIAL_PURPOSE",
        "fd00:ec2::254, CLOUD_METADATA", "fd00:ec2::23, CLOUD_METADATA",
        "2606:4700::1111, PUBLIC", "2a00:1450:4001:81c::200e, PUBLIC",
        // IPv6 forms carrying an IPv4 address are judged by that address
        "::ffff:127.0.0.1, LOOPBACK", "::ffff:10.0.0.5, PRIVATE", "::ffff:169.254.169.254, CLOUD_METADATA",
        "::ffff:0.0.0.0, UNSPECIFIED", "::ffff:8.8.8.8, PUBLIC",
        "::127.0.0.1, LOOPBACK", "::10.0.0.5, PRIVATE", "::169.254.169.254, CLOUD_METADATA", "::8.8.8.8, PUBLIC",
        "64:ff9b::7f00:1, LOOPBACK", "64:ff9b::a00:5, PRIVATE", "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
        "64:ff9b::808:808, PUBLIC",
        "2002:7f00:1::, LOOPBACK", "2002:a00:5:1::1, PRIVATE", "2002:a9fe:a9fe::, CLOUD_METADATA",
        "2002:808:808::1, PUBLIC",
        // Teredo stores the client address inverted: ~127.0.0.1 = 80ff:fffe, ~8.8.8.8 = f7f7:f7f7
        "2001:0:4136:e378:8000:63bf:80ff:fffe, LOOPBACK", "2001:0:4136:e378:8000:63bf:f7f7:f7f7, PUBLIC",
    })
    void everySpecialRangeIsClassified(String address, AddressKind expected) throws Exception {
        assertEquals(expected, AddressClassifier.classify(ip(address)).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "93.184.215.14"})
    void publicAddressesAreAllowedWithOrWithoutPrivateNetworks(String address) throws Exception {
        assertEquals(Optional.empty(), publicOnly.refusal(ip(address)));
        assertEquals(Optional.empty(), privateAllowed.refusal(ip(address)));
    }

    @Test
    void privateAddressIsRefusedWithTheRuleAndTheValue() throws Exception {
        assertEquals(Optional.of("10.0.0.5, a private address; private networks are not allowed"),
                publicOnly.refusal(ip("10.0.0.5")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "10.0.0.5", "172.20.1.1", "192.168.0.10", "169.254.10.10",
        "fe80::1", "fd12::1", "100.64.0.1", "::ffff:127.0.0.1", "64:ff9b::a00:5"})
    void privateNetworksOptInAllowsLocalRanges(String address) throws Exception {
        assertTrue(publicOnly.refusal(ip(address)).isPresent(), address + " refused by default");
        assertEquals(Optional.empty(), privateAllowed.refusal(ip(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200",
        "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::"})
    void metadataAddressesStayRefusedEvenWithPrivateNetworksAllowed(String address) throws Exception {
        assertTrue(privateAllowed.refusal(ip(address)).orElseThrow().endsWith("a cloud metadata address; always denied"),
                () -> privateAllowed.refusal(ipUnchecked(address)).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255", "240.0.0.1", "192.0.2.1",
        "2001:db8::1"})
    void neverAllowedRangesStayRefusedWithPrivateNetworksAllowed(String address) throws Exception {
        assertTrue(privateAllowed.refusal(ip(address)).orElseThrow().endsWith("; always denied"));
    }

    @Test
    void metadataRefusalNamesTheAddress() throws Exception {
        assertEquals(Optional.of("169.254.169.254, a cloud metadata address; always denied"),
                privateAllowed.refusal(ip("169.254.169.254")));
    }

    @Test
    void tunnelledAddressRefusalNamesTheEmbeddedAddress() throws Exception {
        assertEquals(Optional.of("64:ff9b::a00:5, a NAT64 address of 10.0.0.5, a private address;"
                + " private networks are not allowed"), publicOnly.refusal(ip("64:ff9b::a00:5")));
        assertEquals(Optional.of("::ffff:127.0.0.1, an IPv4-mapped IPv6 address of 127.0.0.1, a loopback address;"
                + " private networks are not allowed"),
                publicOnly.refusal(ip("::ffff:127.0.0.1")));
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"0:0:0:0:0:0:0:1, ::1", "0:0:0:0:0:0:0:0, ::", "fd00:ec2:0:0:0:0:0:254, fd00:ec2::254",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "fe80:0:0:0:0:0:0:0, fe80::", "10.0.0.5, 10.0.0.5", "::ffff:10.0.0.5, ::ffff:10.0.0.5"})
    void addressesPrintInCompressedForm(String address, String expected) throws Exception {
        assertEquals(expected, AddressClassifier.format(ip(address)));
    }

    /**
     * Parses an IP literal. Java turns "::ffff:a.b.c.d" into an Inet4Address; a resolver can still
     * hand back the 16-byte form, so build that explicitly to test it.
     */
    static InetAddress ip(String literal) throws UnknownHostException {
        InetAddress parsed = InetAddress.getByName(literal);
        if (literal.contains(":") && parsed instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return parsed;
    }

    private static InetAddress ipUnchecked(String literal) {
        try {
            return ip(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
