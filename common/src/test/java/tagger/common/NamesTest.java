package tagger.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class NamesTest {
    private static final Names NAMES = new Names("tagger");
    private static final String SHA = Sha256.hex("image");

    @Test
    void aCacheKeyNamesTheModelVersionAndTheContentHash() {
        assertEquals("tagger:cache:mobilenetv2:12-int8:" + SHA, NAMES.cacheKey(SHA, new ModelRef("mobilenetv2", "12-int8")));
    }

    @Test
    void modelNamesAndVersionsWithSeparatorsCannotCollideInACacheKey() {
        String a = NAMES.cacheKey(SHA, new ModelRef("a:b", "c"));
        String b = NAMES.cacheKey(SHA, new ModelRef("a", "b:c"));
        assertNotEquals(a, b);
        assertEquals("tagger:cache:a%3Ab:c:" + SHA, a);
    }

    @Test
    void sha256HexMatchesTheKnownDigest() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(new byte[0]));
        assertEquals(Sha256.hex("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)), Sha256.hex("abc"));
    }
}
