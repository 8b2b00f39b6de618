package tagger.launcher.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void theLineShowsTheBarCountsRateAndEta() {
        assertEquals("[######--------------]  30.0%  3000/10000  700 items/s  ETA 10s  failed 12",
                Progress.line(3_000, 10_000, 12, 700));
    }

    @Test
    void withoutARateTheEtaIsUnknownAndAtTheEndItIsDone() {
        assertEquals("[--------------------]   0.0%  0/500  0 items/s  ETA ?  failed 0", Progress.line(0, 500, 0, 0));
        assertEquals("[####################] 100.0%  500/500  0 items/s  done  failed 3", Progress.line(500, 500, 3, 0));
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
