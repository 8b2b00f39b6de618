package tagger.loadtest.measure;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Watches the generator while it runs: CPU per group of threads (driver, generator, origin, whole
 * process), the machine's CPU, GC, and a jHiccup-style thread that measures how late a 1 ms sleep
 * wakes up. Also ticks the {@link TimeSeries} every second.
 *
 * <p>Threads: "loadtest-monitor" (once a second), "loadtest-hiccup" (wakes every millisecond).
 */
public final class GeneratorMonitor implements AutoCloseable {
    private static final long HICCUP_SLEEP_NANOS = 1_000_000;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ScheduledThreadPoolExecutor ticker;
    private final Thread hiccupThread;
    private final Recorder hiccups = new Recorder(3);
    private final TimeSeries series;
    private double loadSum;
    private long loadSamples;
    private volatile boolean running = true;

    /** Cumulative counters at one moment; two of them give a {@link GeneratorUsage}. */
    public record Snapshot(long nanos, long driverCpu, long generatorCpu, long originCpu, long processCpu,
            double loadSum, long loadSamples, long gcCount, long gcMillis) {
    }

    public GeneratorMonitor(TimeSeries series) {
        this.series = series;
        series.begin(System.nanoTime());
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        this.ticker = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "loadtest-monitor"));
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        this.hiccupThread = daemon(this::measureHiccups, "loadtest-hiccup");
        hiccupThread.start();
    }

    private void tick() {
        series.tick(System.nanoTime());
        double load = os.getCpuLoad();
        if (load >= 0) {
            synchronized (this) {
                loadSum += load;
                loadSamples++;
            }
        }
    }

    private void measureHiccups() {
        while (running) {
            long start = System.nanoTime();
            LockSupport.parkNanos(HICCUP_SLEEP_NANOS);
            long overshoot = System.nanoTime() - start - HICCUP_SLEEP_NANOS;
            hiccups.recordValue(Math.max(0, overshoot / 1_000));
        }
    }

    /** What the generator used between two moments, known once the second has passed. */
    public record Window(GeneratorUsage usage, Histogram hiccups) {
    }

    /**
     * Measures the window [{@code fromNanos}, {@code toNanos}] (System.nanoTime): snapshots are taken
     * by the monitor thread at both ends, so the driver never stops to take them.
     */
    public CompletableFuture<Window> window(long fromNanos, long toNanos) {
        CompletableFuture<Window> result = new CompletableFuture<>();
        long now = System.nanoTime();
        ticker.schedule(() -> {
            Snapshot start = snapshot();
            hiccups.getIntervalHistogram(); // forget pauses before the window
            ticker.schedule(() -> result.complete(new Window(between(start, snapshot()), hiccups.getIntervalHistogram())),
                    Math.max(0, toNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }, Math.max(0, fromNanos - now), TimeUnit.NANOSECONDS);
        return result;
    }

    public synchronized Snapshot snapshot() {
        long driver = 0;
        long generator = 0;
        long origin = 0;
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            String name = infos[i].getThreadName();
            long cpu = Math.max(0, threads.getThreadCpuTime(ids[i]));
            if (name.equals("loadtest-driver")) {
                driver += cpu;
            }
            if (name.startsWith("loadtest-") || name.startsWith("HttpClient-")) {
                generator += cpu;
            } else if (name.startsWith("origin")) {
                origin += cpu;
            }
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new Snapshot(System.nanoTime(), driver, generator, origin, os.getProcessCpuTime(), loadSum, loadSamples,
                gcCount, gcMillis);
    }

    /** What was used between two snapshots. */
    public static GeneratorUsage between(Snapshot a, Snapshot b) {
        double wall = Math.max(1, b.nanos() - a.nanos());
        long samples = b.loadSamples() - a.loadSamples();
        return new GeneratorUsage(round((b.driverCpu() - a.driverCpu()) / wall),
                round((b.generatorCpu() - a.generatorCpu()) / wall), round((b.originCpu() - a.originCpu()) / wall),
                round((b.processCpu() - a.processCpu()) / wall),
                samples == 0 ? 0 : round((b.loadSum() - a.loadSum()) / samples), b.gcCount() - a.gcCount(),
                b.gcMillis() - a.gcMillis(), Runtime.getRuntime().availableProcessors());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        running = false;
        ticker.shutdownNow();
        hiccupThread.interrupt();
        series.tick(System.nanoTime());
    }
}
