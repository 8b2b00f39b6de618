package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import org.junit.jupiter.api.Test;
import tagger.testkit.IccProfiles;

class SrgbConversionTest {

    @Test
    void matchesTheJdkColourEngineForAdobeRgbAndDisplayP3() {
        for (byte[] icc : new byte[][] {IccProfiles.adobeRgb(), IccProfiles.displayP3()}) {
            ICC_ColorSpace space = new ICC_ColorSpace(ICC_Profile.getInstance(icc));
            SrgbConversion conversion = SrgbConversion.forProfile(icc);
            assertFalse(conversion.isIdentity());
            int worst = 0;
            for (int r = 0; r < 256; r += 15) {
                for (int g = 0; g < 256; g += 15) {
                    for (int b = 0; b < 256; b += 15) {
                        byte[] px = {(byte) r, (byte) g, (byte) b};
                        conversion.apply(px, 1, 1, 0, 3, 3, 0, 1, 2);
                        float[] srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(space.toCIEXYZ(
                                new float[] {r / 255f, g / 255f, b / 255f}));
                        for (int c = 0; c < 3; c++) {
                            worst = Math.max(worst, Math.abs((px[c] & 0xFF) - Math.round(srgb[c] * 255)));
                        }
                    }
                }
            }
            assertTrue(worst <= 3, "worst channel difference from the JDK's engine: " + worst + " levels");
        }
    }

    @Test
    void noProfileAndSrgbCostNothing() {
        assertTrue(SrgbConversion.forProfile(null).isIdentity());
        assertTrue(SrgbConversion.forProfile(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()).isIdentity());
    }

    @Test
    void aBrokenProfileIsIgnored() {
        assertTrue(SrgbConversion.forProfile(new byte[] {1, 2, 3}).isIdentity());
    }

    @Test
    void conversionsAreCachedByProfileBytes() {
        assertSame(SrgbConversion.forProfile(IccProfiles.adobeRgb()), SrgbConversion.forProfile(IccProfiles.adobeRgb()));
    }

    @Test
    void grayRastersAreLeftAlone() {
        byte[] px = {100};
        SrgbConversion.forProfile(IccProfiles.adobeRgb()).apply(px, 1, 1, 0, 1, 1, 0, 0, 0);
        assertEquals(100, px[0]);
    }
}
