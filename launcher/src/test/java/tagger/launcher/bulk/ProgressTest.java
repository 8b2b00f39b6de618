package tagger.launcher.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void theLineShowsTheBarTheFourCountsRateAndEta() {
        assertEquals("[######--------------]  30.0%  3000/10000  tagged 2900  failed 12  cancelled 88  pending 7000  "
                + "700 items/s  ETA 10s", Progress.line(new Progress.Counts(10_000, 2_900, 12, 88), 700));
    }

    @Test
    void withoutARateTheEtaIsUnknown() {
        assertEquals("[--------------------]   0.0%  0/500  tagged 0  failed 0  cancelled 0  pending 0  0 items/s  ETA ?"
                .replace("pending 0", "pending 500"), Progress.line(new Progress.Counts(500, 0, 0, 0), 0));
    }

    @Test
    void theLastLineGivesTheRunsAverageRateNotTheCurrentOne() {
        assertEquals("[####################] 100.0%  500/500  tagged 400  failed 3  cancelled 97  pending 0  "
                + "done in 25s, average 16.0 items/s", Progress.finished(new Progress.Counts(500, 400, 3, 97), 400, 25));
    }

    @Test
    void aShorterLineBlanksWhatIsLeftOfTheLongerOneBeforeIt() {
        StatusLine status = new StatusLine();
        assertEquals("\rpending 100  failed 12", status.replace("pending 100  failed 12"));
        assertEquals("\rpending 9  failed 1" + "   ", status.replace("pending 9  failed 1"),
                "without the blanks the screen would read 'pending 9  failed 12'");
        assertEquals("\rpending 10  failed 1", status.replace("pending 10  failed 1"));
        assertEquals("\rdone, average 3.0 items/s\n", status.finish("done, average 3.0 items/s"));
        assertEquals("\rnext", status.replace("next"), "after finish a new line starts: nothing to blank");
        assertEquals("\r    \r", status.interrupt(), "a message of its own clears the line first");
        assertEquals("", status.interrupt());
    }

    @Test
    void finishWithinReadsDaysHoursMinutesAndSeconds() {
        assertEquals(Duration.ofHours(2), BulkCommand.Submit.within("2h"));
        assertEquals(Duration.ofMinutes(90), BulkCommand.Submit.within("1h30m"));
        assertEquals(Duration.ofSeconds(45), BulkCommand.Submit.within("45s"));
        assertEquals(Duration.ofDays(2), BulkCommand.Submit.within("2d"));
        assertEquals("--finish-within must look like 45m, 2h, 1h30m or 2d, got '2 hours'",
                assertThrows(IllegalArgumentException.class, () -> BulkCommand.Submit.within("2 hours")).getMessage());
        assertEquals("--finish-within must be between 10s and 30d, got '5s'",
                assertThrows(IllegalArgumentException.class, () -> BulkCommand.Submit.within("5s")).getMessage());
    }

    @Test
    void durationsReadAsSecondsMinutesHoursOrDays() {
        assertEquals("1s", Progress.duration(0.2));
        assertEquals("59s", Progress.duration(59));
        assertEquals("3m07s", Progress.duration(187));
        assertEquals("2h05m", Progress.duration(7_500));
        assertEquals("3d04h", Progress.duration(3 * 86_400 + 4 * 3_600 + 10));
    }
}
