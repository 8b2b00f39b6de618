package tagger.api.bulk;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * The ids the api-server gives batches whose client proposed none: {@code b-} and a UUID version 7
 * (RFC 9562) — creation time in its first 48 bits — whose random part starts with a 32-bit tag of
 * the store epoch the batch was accepted under; 42 bits stay random.
 *
 * <p>So any api-server can tell from the id alone what only the accepting one could otherwise: a
 * batch that is missing from the store, still within its retention, and accepted under another
 * epoch was lost with the store's data ({@code 410 batch_lost}), not merely unknown. Ids a client
 * chose carry nothing and are only known to the server that accepted them ({@link StoreEpochs}).
 */
final class BatchIds {
    private static final String PREFIX = "b-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a generated id says: when it was made and under which store epoch (its tag). */
    record Origin(long createdMs, int epochTag) {
    }

    private BatchIds() {
    }

    static String generate(String storeEpoch, long nowMs) {
        long msb = (nowMs << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL); // time | version 7 | 12 random bits
        long lsb = 0x8000_0000_0000_0000L // variant 2 (RFC 9562)
                | ((tag(storeEpoch) & 0xFFFF_FFFFL) << 30)
                | (RANDOM.nextLong() & 0x3FFF_FFFFL);
        return PREFIX + new UUID(msb, lsb);
    }

    /** The origin of an id made by {@link #generate}; empty for any other id. */
    static Optional<Origin> parse(String batchId) {
        if (!batchId.startsWith(PREFIX) || batchId.length() != PREFIX.length() + 36) {
            return Optional.empty();
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(batchId.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (uuid.version() != 7 || uuid.variant() != 2) {
            return Optional.empty(); // an id of the earlier form (a random UUID), or a client's
        }
        return Optional.of(new Origin(uuid.getMostSignificantBits() >>> 16,
                (int) (uuid.getLeastSignificantBits() >>> 30)));
    }

    /** 32 bits of a store epoch: {@link String#hashCode} is specified, so every server computes the same. */
    static int tag(String storeEpoch) {
        return storeEpoch.hashCode();
    }
}
