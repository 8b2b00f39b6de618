package tagger.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void commandLineDurationsParseWithTheirUnits() {
        assertEquals(Duration.ofMillis(250), DurationText.parse("250ms"));
        assertEquals(Duration.ofMillis(1500), DurationText.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), DurationText.parse("2m"));
        assertEquals(Duration.ofNanos(800_000), DurationText.parse("800us"));
        assertEquals(Duration.ofHours(1), DurationText.parse(" 1H "));
    }

    @Test
    void aDurationWithoutAUnitIsRefused() {
        assertEquals("duration must be a number with unit us, ms, s, m or h (e.g. 250ms, 1.5s), got '250'",
                assertThrows(IllegalArgumentException.class, () -> DurationText.parse("250")).getMessage());
    }

    @Test
    void durationsPrintCompactly() {
        assertEquals("800us", DurationText.format(Duration.ofNanos(800_000)));
        assertEquals("250ms", DurationText.format(Duration.ofMillis(250)));
        assertEquals("1.5s", DurationText.format(Duration.ofMillis(1500)));
        assertEquals("20s", DurationText.format(Duration.ofSeconds(20)));
        assertEquals("5m", DurationText.format(Duration.ofMinutes(5)));
    }
}
