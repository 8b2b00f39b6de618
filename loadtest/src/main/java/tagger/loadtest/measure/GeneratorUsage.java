package tagger.loadtest.measure;

/** CPU and GC used between two {@link GeneratorMonitor} snapshots (see {@link GeneratorStats}). */
public record GeneratorUsage(double driverCpu, double generatorCores, double originCores, double processCores,
        double systemLoad, long gcCount, double gcMillis, int cores) {

    public static final GeneratorUsage NONE = new GeneratorUsage(0, 0, 0, 0, 0, 0, 0,
            Runtime.getRuntime().availableProcessors());
}
