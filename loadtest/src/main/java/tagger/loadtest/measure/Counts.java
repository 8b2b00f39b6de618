package tagger.loadtest.measure;

/**
 * How many of what, in the measured window of one level.
 *
 * @param sent          requests sent whose intended time was in the window
 * @param completed     of those, finished (answered or failed in transport)
 * @param succeeded     answered 2xx with tags for every image
 * @param good          succeeded within the goodput latency
 * @param unfinished    still unanswered after the drain (counted as errors)
 * @param warmup        requests of the warm-up, not in any statistic
 * @param warmupFailed  warm-up requests that did not succeed
 */
public record Counts(long sent, long completed, long succeeded, long good, long images, long imagesTagged,
        long goodImages, long unfinished, long warmup, long warmupFailed) {

    /** Share of requests that did not succeed (transport errors, non-2xx, any image untagged, unfinished). */
    @com.fasterxml.jackson.annotation.JsonProperty("errorShare")
    public double errorShare() {
        long all = completed + unfinished;
        return all == 0 ? 0 : (double) (all - succeeded) / all;
    }
}
