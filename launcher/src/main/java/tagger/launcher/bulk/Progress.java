package tagger.launcher.bulk;

import java.util.Locale;

/**
 * The migration's progress line: a bar, the four counts, rate and ETA, e.g.
 * {@code [######--------------]  30.0%  3000/10000  tagged 2988  failed 12  cancelled 0  pending 7000  700 items/s  ETA 10s};
 * at the end the run's average rate instead of the current one.
 */
final class Progress {
    static final int BAR = 20;

    private Progress() {
    }

    /**
     * Items of the whole input by outcome; {@code pending} have none yet.
     *
     * @param failed errors, refusals at submission included
     */
    record Counts(long total, long tagged, long failed, long cancelled) {
        long finished() {
            return tagged + failed + cancelled;
        }

        long pending() {
            return Math.max(0, total - finished());
        }
    }

    /**
     * While running.
     *
     * @param rate items per second now: the sum of the open batches' {@code ratePerSecond}, 0 when unknown;
     *             the ETA is pending ÷ rate, as {@code GET /v1/batches/{id}} computes it
     */
    static String line(Counts c, double rate) {
        String eta = c.pending() == 0 ? "done" : rate > 0 ? "ETA " + duration(c.pending() / rate) : "ETA ?";
        return String.format(Locale.ROOT, "%s  %.0f items/s  %s", counts(c), rate, eta);
    }

    /**
     * At the end of a run.
     *
     * @param runItems outcomes this run wrote (a resumed run does not count the earlier runs')
     * @param seconds  how long this run took
     */
    static String finished(Counts c, long runItems, double seconds) {
        double average = seconds > 0 ? runItems / seconds : 0;
        return String.format(Locale.ROOT, "%s  done in %s, average %.1f items/s", counts(c), duration(seconds), average);
    }

    private static String counts(Counts c) {
        double share = c.total() <= 0 ? 1 : Math.min(1, (double) c.finished() / c.total());
        int filled = (int) Math.round(share * BAR);
        return String.format(Locale.ROOT, "[%s%s] %5.1f%%  %d/%d  tagged %d  failed %d  cancelled %d  pending %d",
                "#".repeat(filled), "-".repeat(BAR - filled), share * 100, c.finished(), c.total(), c.tagged(),
                c.failed(), c.cancelled(), c.pending());
    }

    /** 42s, 3m07s, 2h05m, 3d04h. */
    static String duration(double seconds) {
        long s = (long) Math.ceil(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3_600, s % 3_600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3_600);
    }
}
