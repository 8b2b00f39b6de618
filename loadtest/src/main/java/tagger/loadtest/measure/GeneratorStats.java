package tagger.loadtest.measure;

/**
 * How the generator itself behaved during a level: whether it kept its schedule and what it cost.
 *
 * @param scheduleLag    actual minus intended send time
 * @param late           sends later than the late threshold, not counting those that waited for a slot
 * @param capped         sends that waited because all in-flight slots were taken
 * @param lateShare      late / sent
 * @param driverCpu      share of one core the driver thread used
 * @param generatorCores cores used by the generator's threads (driver, HTTP client, monitor)
 * @param originCores    cores used by the built-in origin (same process)
 * @param processCores   cores used by the whole process (includes an in-process server, if any)
 * @param systemLoad     the machine's CPU use, 0..1, averaged over the level
 * @param hiccups        pauses of a thread that asks to sleep 1 ms (GC, scheduling), jHiccup style
 */
public record GeneratorStats(Percentiles scheduleLag, long late, long capped, double lateShare, double driverCpu,
        double generatorCores, double originCores, double processCores, double systemLoad, Percentiles hiccups,
        long gcCount, double gcMillis, int cores) {
}
