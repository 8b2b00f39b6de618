package tagger.api.download;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sorts IP addresses into {@link AddressKind}s by the IANA special-purpose ranges, looking through IPv6
 * forms that embed an IPv4 address.
 *
 * <p>Explicit ranges rather than {@link InetAddress#isSiteLocalAddress()} and friends: those miss CGNAT,
 * unique-local {@code fc00::/7}, and every IPv6 form that carries an IPv4 address inside.
 */
final class AddressClassifier {

    /** How an address was read: its kind and, for IPv6 tunnel forms, which IPv4 address it carries. */
    record Classification(AddressKind kind, String tunnel, InetAddress embedded) {

        /** Noun phrase for messages, e.g. "an IPv4-mapped IPv6 address of 10.0.0.5, a private address". */
        String describe() {
            return tunnel == null ? kind.description()
                    : tunnel + " of " + format(embedded) + ", " + kind.description();
        }
    }

    // Exact addresses of instance metadata services: AWS/GCP/Azure/OCI IMDS, AWS ECS task and EKS pod
    // identity credentials, Alibaba Cloud, Azure WireServer (a public address, so no range catches it).
    private static final List<byte[]> METADATA = Stream.of(
            "169.254.169.254", "169.254.170.2", "169.254.170.23", "100.100.100.200", "168.63.129.16",
            "fd00:ec2::254", "fd00:ec2::23")
            .map(ip -> literal(ip).getAddress())
            .toList();

    // First match wins, so narrower ranges come before the ones that contain them.
    private static final Map<Cidr, AddressKind> RANGES = new LinkedHashMap<>();

    static {
        put("0.0.0.0/8", AddressKind.UNSPECIFIED);
        put("10.0.0.0/8", AddressKind.PRIVATE);
        put("100.64.0.0/10", AddressKind.CARRIER_GRADE_NAT);
        put("127.0.0.0/8", AddressKind.LOOPBACK);
        put("169.254.0.0/16", AddressKind.LINK_LOCAL);
        put("172.16.0.0/12", AddressKind.PRIVATE);
        put("192.0.0.0/24", AddressKind.SPECIAL_PURPOSE);     // IETF protocol assignments
        put("192.0.2.0/24", AddressKind.SPECIAL_PURPOSE);     // TEST-NET-1
        put("192.88.99.0/24", AddressKind.SPECIAL_PURPOSE);   // retired 6to4 relay anycast
        put("192.168.0.0/16", AddressKind.PRIVATE);
        put("198.18.0.0/15", AddressKind.SPECIAL_PURPOSE);    // benchmarking
        put("198.51.100.0/24", AddressKind.SPECIAL_PURPOSE);  // TEST-NET-2
        put("203.0.113.0/24", AddressKind.SPECIAL_PURPOSE);   // TEST-NET-3
        put("224.0.0.0/4", AddressKind.MULTICAST);
        put("240.0.0.0/4", AddressKind.RESERVED);             // includes 255.255.255.255
        put("::/128", AddressKind.UNSPECIFIED);
        put("::1/128", AddressKind.LOOPBACK);
        put("64:ff9b:1::/48", AddressKind.SPECIAL_PURPOSE);   // local-use NAT64 (RFC 8215)
        put("100::/64", AddressKind.SPECIAL_PURPOSE);         // discard-only
        put("2001:2::/48", AddressKind.SPECIAL_PURPOSE);      // benchmarking
        put("2001:db8::/32", AddressKind.SPECIAL_PURPOSE);    // documentation
        put("3fff::/20", AddressKind.SPECIAL_PURPOSE);        // documentation (RFC 9637)
        put("fc00::/7", AddressKind.UNIQUE_LOCAL);
        put("fe80::/10", AddressKind.LINK_LOCAL);
        put("fec0::/10", AddressKind.PRIVATE);                // deprecated site-local
        put("ff00::/8", AddressKind.MULTICAST);
    }

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr TEREDO = Cidr.parse("2001::/32");
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");

    private AddressClassifier() {
    }

    static Classification classify(InetAddress address) {
        byte[] raw = address.getAddress();
        for (byte[] metadata : METADATA) {
            if (Arrays.equals(raw, metadata)) {
                return new Classification(AddressKind.CLOUD_METADATA, null, null);
            }
        }
        if (raw.length == 16) {
            Classification tunnelled = throughTunnel(raw);
            if (tunnelled != null) {
                return tunnelled;
            }
        }
        for (Map.Entry<Cidr, AddressKind> range : RANGES.entrySet()) {
            if (range.getKey().contains(raw)) {
                return new Classification(range.getValue(), null, null);
            }
        }
        return new Classification(AddressKind.PUBLIC, null, null);
    }

    /** IPv6 forms that deliver to an IPv4 address: judged by that address, or null if not one of them. */
    private static Classification throughTunnel(byte[] raw) {
        if (isMapped(raw)) {
            return embedded("an IPv4-mapped IPv6 address", raw, 12, false);
        }
        if (NAT64.contains(raw)) {
            return embedded("a NAT64 address", raw, 12, false);
        }
        if (SIX_TO_FOUR.contains(raw)) {
            return embedded("a 6to4 address", raw, 2, false);
        }
        if (TEREDO.contains(raw)) {
            return embedded("a Teredo address", raw, 12, true); // client address is stored inverted
        }
        // ::/96 also holds :: and ::1, which the range table handles as themselves.
        boolean unspecifiedOrLoopback = raw[12] == 0 && raw[13] == 0 && raw[14] == 0 && (raw[15] == 0 || raw[15] == 1);
        if (IPV4_COMPATIBLE.contains(raw) && !unspecifiedOrLoopback) {
            return embedded("an IPv4-compatible IPv6 address", raw, 12, false);
        }
        return null;
    }

    private static Classification embedded(String tunnel, byte[] raw, int offset, boolean inverted) {
        byte[] v4 = Arrays.copyOfRange(raw, offset, offset + 4);
        if (inverted) {
            for (int i = 0; i < 4; i++) {
                v4[i] = (byte) ~v4[i];
            }
        }
        InetAddress inner = address(v4);
        return new Classification(classify(inner).kind(), tunnel, inner);
    }

    private static boolean isMapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
    }

    /** Dotted quad for IPv4, RFC 5952 text for IPv6: compressed, IPv4-mapped as ::ffff:a.b.c.d, no scope. */
    static String format(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 4) {
            return (raw[0] & 0xff) + "." + (raw[1] & 0xff) + "." + (raw[2] & 0xff) + "." + (raw[3] & 0xff);
        }
        if (isMapped(raw)) {
            return "::ffff:" + format(address(Arrays.copyOfRange(raw, 12, 16)));
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (raw[2 * i] & 0xff) << 8 | (raw[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static void put(String cidr, AddressKind kind) {
        RANGES.put(Cidr.parse(cidr), kind);
    }

    /** Parses an IP literal; never touches DNS because callers pass only literals. */
    static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes expected", e);
        }
    }

    /** An address prefix such as 10.0.0.0/8. */
    private record Cidr(byte[] prefix, int bits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            return new Cidr(literal(text.substring(0, slash)).getAddress(), Integer.parseInt(text.substring(slash + 1)));
        }

        boolean contains(byte[] raw) {
            if (raw.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (raw[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (raw[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
