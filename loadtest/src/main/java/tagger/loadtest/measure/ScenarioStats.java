package tagger.loadtest.measure;

/** One workload's share of a level (each traffic class is reported on its own). */
public record ScenarioStats(long completed, long succeeded, long images, long imagesTagged, double perSecond,
        double errorShare, Percentiles latency) {
}
