package tagger.loadtest.measure;

/**
 * Rates over the measured window, per second.
 *
 * @param sent           requests sent
 * @param completed      requests finished
 * @param succeeded      requests answered with tags
 * @param goodput        requests answered with tags within the goodput latency
 * @param images         images tagged
 * @param goodputImages  images tagged within the goodput latency
 */
public record Throughput(double sent, double completed, double succeeded, double goodput, double images,
        double goodputImages) {

    static Throughput of(Counts c, double seconds) {
        return new Throughput(c.sent() / seconds, c.completed() / seconds, c.succeeded() / seconds,
                c.good() / seconds, c.imagesTagged() / seconds, c.goodImages() / seconds);
    }
}
