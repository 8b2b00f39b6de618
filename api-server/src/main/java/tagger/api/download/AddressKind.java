package tagger.api.download;

/** What an IP address is, as far as the SSRF guard cares. */
public enum AddressKind {
    PUBLIC("a public address", Permit.ALWAYS),
    /** Instance metadata services hand out cloud credentials; no opt-in reaches them. */
    CLOUD_METADATA("a cloud metadata address", Permit.NEVER),
    LOOPBACK("a loopback address", Permit.WITH_PRIVATE_NETWORKS),
    PRIVATE("a private address", Permit.WITH_PRIVATE_NETWORKS),
    LINK_LOCAL("a link-local address", Permit.WITH_PRIVATE_NETWORKS),
    UNIQUE_LOCAL("a unique-local IPv6 address", Permit.WITH_PRIVATE_NETWORKS),
    CARRIER_GRADE_NAT("a carrier-grade NAT address", Permit.WITH_PRIVATE_NETWORKS),
    /** 0.0.0.0/8 and {@code ::}: on Linux a connect to 0.0.0.0 lands on the local host. */
    UNSPECIFIED("an unspecified address", Permit.NEVER),
    MULTICAST("a multicast address", Permit.NEVER),
    /** 240.0.0.0/4 including the limited broadcast address 255.255.255.255. */
    RESERVED("a reserved address", Permit.NEVER),
    /** Documentation, benchmarking and IETF protocol ranges: never a real image origin. */
    SPECIAL_PURPOSE("a documentation, benchmarking or protocol address", Permit.NEVER);

    /** When the guard lets a connection to this kind of address through. */
    public enum Permit { ALWAYS, WITH_PRIVATE_NETWORKS, NEVER }

    private final String description;
    private final Permit permit;

    AddressKind(String description, Permit permit) {
        this.description = description;
        this.permit = permit;
    }

    /** Noun phrase for messages, e.g. "a loopback address". */
    public String description() {
        return description;
    }

    public Permit permit() {
        return permit;
    }
}
