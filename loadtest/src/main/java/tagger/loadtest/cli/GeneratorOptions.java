package tagger.loadtest.cli;

import java.time.Duration;
import picocli.CommandLine.Option;
import tagger.loadtest.measure.SelfCheck;

/** Options shared by every command that generates load: timing of levels, the client, the self-check, outputs. */
final class GeneratorOptions {
    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "Warm-up of every level, excluded from results (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured time of every level (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--cooldown", defaultValue = "1s", converter = DurationConverter.class,
            description = "Pause between levels (default: ${DEFAULT-VALUE}).")
    Duration cooldown;

    @Option(names = "--settle", defaultValue = "6s", converter = DurationConverter.class,
            description = "Pause after a level that missed the SLO or had errors, so the server's backlog (bounded by "
                    + "its deadline, 5 s by default) drains before the next level (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--arrivals", defaultValue = "poisson",
            description = "Open-loop arrivals: poisson or constant (default: ${DEFAULT-VALUE}).")
    String arrivals;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of schedules, mixes and faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "Client timeout per request; a timed-out request counts as transport:timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--max-inflight", defaultValue = "10000",
            description = "Most requests outstanding at once; sends that wait for a slot are reported (default: ${DEFAULT-VALUE}).")
    int maxInflight;

    @Option(names = "--http-threads", defaultValue = "2",
            description = "Threads completing responses (the I/O itself runs on one selector thread) (default: ${DEFAULT-VALUE}).")
    int httpThreads;

    @Option(names = "--late-threshold", defaultValue = "10ms", converter = DurationConverter.class,
            description = "A send this much after its intended time is late (default: ${DEFAULT-VALUE}).")
    Duration lateThreshold;

    @Option(names = "--max-late", defaultValue = "1%",
            description = "More late sends than this share make a level invalid (default: ${DEFAULT-VALUE}).")
    String maxLate;

    @Option(names = "--out", description = "Folder for report.json, levels.csv, report.html "
            + "(default: loadtest-results/<time>-<name>).")
    java.nio.file.Path out;

    @Option(names = "--name", defaultValue = "run", description = "Name of the run in reports (default: ${DEFAULT-VALUE}).")
    String name;

    SelfCheck.Limits limits() {
        String v = maxLate.trim();
        double share;
        try {
            share = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100 : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-late must be a percentage such as 1%, got '" + maxLate + "'");
        }
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("--max-late must be between 0% and 100%, got '" + maxLate + "'");
        }
        return new SelfCheck.Limits(lateThreshold, share, SelfCheck.Limits.DEFAULT.maxDriverCpu());
    }

    java.nio.file.Path outDir() {
        if (out != null) {
            return out;
        }
        String stamp = java.time.LocalDateTime.now().withNano(0).toString().replace(":", "");
        return java.nio.file.Path.of("loadtest-results", stamp + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    void check() {
        if (warmup.isNegative() || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--duration must be > 0 and --warmup >= 0, got " + duration + " and " + warmup);
        }
        if (maxInflight < 1 || httpThreads < 1 || httpThreads > 64) {
            throw new IllegalArgumentException("--max-inflight must be >= 1 and --http-threads 1..64, got " + maxInflight
                    + " and " + httpThreads);
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1ms, got " + timeout);
        }
    }
}
