package tagger.loadtest.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The verdict on the generator (MLPerf's "Result is VALID"): a level where the generator could not
 * keep its schedule because it was itself the bottleneck (busy, or pausing) is invalid, because its
 * numbers would describe the generator rather than the server. Late sends on a host whose CPU the
 * server saturates are a warning instead: the generator was not the bottleneck, the shared host was.
 */
public record SelfCheck(boolean valid, List<String> problems, List<String> warnings) {
    /**
     * Fewer late sends than this never invalidate a level: at 10 req/s one late wake-up of a busy
     * machine is already 1%, and says nothing about the generator keeping up.
     */
    static final long MIN_LATE_TO_INVALIDATE = 10;

    /**
     * Where the lines are drawn.
     *
     * @param lateThreshold a send this much after its intended time is late
     * @param maxLateShare  more late sends than this share make the level invalid (perf_analyzer: 1%)
     * @param maxDriverCpu  a driver thread busier than this share of a core cannot keep a schedule
     */
    public record Limits(Duration lateThreshold, double maxLateShare, double maxDriverCpu) {
        public static final Limits DEFAULT = new Limits(Duration.ofMillis(10), 0.01, 0.9);
    }

    static SelfCheck judge(Limits limits, GeneratorStats g, Counts counts, boolean openLoop, int maxInflight) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean tooLate = openLoop && g.lateShare() > limits.maxLateShare() && g.late() >= MIN_LATE_TO_INVALIDATE;
        String late = String.format(Locale.ROOT, "%.1f%% of requests left more than %d ms late (limit %.1f%%)",
                g.lateShare() * 100, limits.lateThreshold().toMillis(), limits.maxLateShare() * 100);
        boolean busy = g.driverCpu() > 0.5 || g.processCores() > 0.5 * g.cores();
        if (tooLate && busy) {
            problems.add(String.format(Locale.ROOT, "%s while this process was busy (driver thread %.0f%%, %.2f of %d "
                    + "cores): the generator was the bottleneck, so these numbers describe it, not the server", late,
                    g.driverCpu() * 100, g.processCores(), g.cores()));
        } else if (tooLate && g.systemLoad() > 0.9) {
            // the generator was idle enough but could not get the CPU in time: the host is shared and full
            warnings.add(String.format(Locale.ROOT, "%s because the machine's CPU was %.0f%% busy while this process "
                    + "used only %.2f cores: whatever shares this host (the server?) delayed the generator, so latencies "
                    + "include CPU contention; run the generator on another machine for clean numbers", late,
                    g.systemLoad() * 100, g.processCores()));
        } else if (tooLate) {
            problems.add(String.format(Locale.ROOT, "%s although neither this process nor the machine was busy "
                    + "(JVM pauses up to %.0f ms, %.0f ms in GC): the generator's timing cannot be trusted", late,
                    g.hiccups().max(), g.gcMillis()));
        }
        if (g.driverCpu() > limits.maxDriverCpu()) {
            problems.add(String.format(Locale.ROOT, "the driver thread was busy %.0f%% of the time (limit %.0f%%): "
                    + "it cannot keep a schedule", g.driverCpu() * 100, limits.maxDriverCpu() * 100));
        }
        if (g.generatorCores() > 0.9 * g.cores()) {
            problems.add(String.format(Locale.ROOT, "the generator used %.2f of %d cores: it was the bottleneck",
                    g.generatorCores(), g.cores()));
        }
        if (openLoop && g.late() > 0 && !tooLate) {
            warnings.add(String.format(Locale.ROOT, "%d sends left more than %d ms late (schedule lag max %.1f ms)",
                    g.late(), limits.lateThreshold().toMillis(), g.scheduleLag().max()));
        }
        if (g.capped() > 0) {
            warnings.add(g.capped() + " sends waited for one of the " + maxInflight
                    + " in-flight slots (raise --max-inflight); their latency includes the wait");
        }
        if (counts.unfinished() > 0) {
            warnings.add(counts.unfinished() + " requests were still unanswered after the drain; counted as errors");
        }
        if (g.systemLoad() > 0.9 && !(tooLate && !busy)) {
            warnings.add(String.format(Locale.ROOT, "the machine's CPU was %.0f%% busy: generator and server competed "
                    + "for it, so the numbers describe the pair", g.systemLoad() * 100));
        }
        if (g.hiccups().max() > 50) {
            warnings.add(String.format(Locale.ROOT, "the generator's JVM paused up to %.0f ms (GC or CPU scheduling)",
                    g.hiccups().max()));
        }
        long samples = counts.completed();
        if (samples > 0 && samples < 1_000) {
            warnings.add("p99 rests on " + samples + " samples; at least 1000 are needed for it to be stable");
        } else if (samples >= 1_000 && samples < 10_000) {
            warnings.add("p99.9 rests on " + samples + " samples; at least 10000 are needed for it to be stable");
        }
        if (!openLoop) {
            warnings.add("closed loop: latency counts from the actual send and a stalled server slows the offered "
                    + "load instead of showing up (coordinated omission); use --rate for latency claims");
        }
        return new SelfCheck(problems.isEmpty(), List.copyOf(problems), List.copyOf(warnings));
    }
}
