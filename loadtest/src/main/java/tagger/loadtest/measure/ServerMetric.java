package tagger.loadtest.measure;

/**
 * One Prometheus metric scraped during a level (summed over labels and over every scraped server).
 *
 * @param kind      "gauge" or "counter"
 * @param mean      mean of the samples (gauges)
 * @param max       largest sample (gauges)
 * @param perSecond increase per second over the window (counters)
 */
public record ServerMetric(String kind, double mean, double max, double perSecond, int samples) {
}
