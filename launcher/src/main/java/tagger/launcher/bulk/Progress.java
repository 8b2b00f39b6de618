package tagger.launcher.bulk;

import java.util.Locale;

/**
 * The migration's progress line: a bar, done/total, rate and ETA, e.g.
 * {@code [######--------------]  30.0%  3000/10000  812 items/s  ETA 8s  failed 12}.
 */
final class Progress {
    static final int BAR = 20;

    private Progress() {
    }

    /**
     * @param finished items with an outcome (tagged, failed or cancelled)
     * @param failed   of them, those with an error
     * @param rate     items per second now, 0 when unknown
     */
    static String line(long finished, long total, long failed, double rate) {
        double share = total <= 0 ? 1 : Math.min(1, (double) finished / total);
        int filled = (int) Math.round(share * BAR);
        String eta = finished >= total ? "done" : rate > 0 ? "ETA " + duration((total - finished) / rate) : "ETA ?";
        return String.format(Locale.ROOT, "[%s%s] %5.1f%%  %d/%d  %.0f items/s  %s  failed %d", "#".repeat(filled),
                "-".repeat(BAR - filled), share * 100, finished, total, rate, eta, failed);
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
