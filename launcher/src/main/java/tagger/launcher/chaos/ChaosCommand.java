package tagger.launcher.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tagger chaos}: starts a stack of its own (api-server + workers as child processes, its own
 * redis-server, the shared RabbitMQ behind a fault proxy), runs each fault under load and prints, per
 * fault, lost / duplicate / wrong counts, the slowest answer, how fast 503s came and the recovery time.
 * Exit code 0 when every target was met, 1 when one was missed.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run each fault (worker kill, broker and Redis outages, a hanging origin host, an upload flood, "
                + "a worker kill during a batch) against a local stack under load; print lost/duplicate/wrong counts, "
                + "latency, fast-503 and recovery figures.")
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--faults", defaultValue = "all", description = "all, or a comma-separated list of: worker-kill, "
            + "broker-outage, redis-restart, redis-lost, hanging-host, upload-flood, bulk-worker-kill (default: all)")
    String faults;

    @Option(names = "--rate", defaultValue = "8", description = "real-time calls per second (default: 8)")
    double rate;

    @Option(names = "--seconds", defaultValue = "20", description = "load per experiment, seconds (default: 20)")
    int seconds;

    @Option(names = "--workers", defaultValue = "2", description = "worker processes (default: 2)")
    int workers;

    @Option(names = "--deadline-ms", defaultValue = "5000", description = "the api-server's deadline (default: 5000)")
    long deadlineMs;

    @Option(names = "--broker-outage-seconds", defaultValue = "10", description = "default: 10")
    int brokerOutage;

    @Option(names = "--redis-outage-seconds", defaultValue = "5", description = "default: 5")
    int redisOutage;

    @Option(names = "--bulk-items", defaultValue = "200", description = "items of the bulk batch (default: 200)")
    int bulkItems;

    @Option(names = "--uploads", defaultValue = "24", description = "oversized uploads in the flood (default: 24)")
    int uploads;

    @Override
    public Integer call() throws Exception {
        List<Fault> list = Fault.parse(faults);
        ChaosSuite.Settings s = settings();
        Path dir = Files.createTempDirectory("tagger-chaos-");
        System.out.println("chaos: starting 1 api-server + " + workers + " workers, a redis-server of their own and a "
                + "fault proxy to RabbitMQ (logs in " + dir.resolve("logs") + ")");
        try (ChaosStack stack = ChaosStack.start(workers, deadlineMs, dir, System.out)) {
            // Ctrl-C: stop the child processes and the redis-server, delete the namespace from the broker
            Thread cleanup = new Thread(stack::close, "chaos-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            List<Report> reports = run(stack, s, list);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            System.out.println();
            System.out.println(Report.header());
            reports.forEach(r -> System.out.println(r.row()));
            return reports.stream().allMatch(Report::met) ? 0 : 1;
        }
    }

    /** Runs the faults against a started stack (the launcher's integration test calls this too). */
    static List<Report> run(ChaosStack stack, ChaosSuite.Settings s, List<Fault> faults) throws Exception {
        ChaosSuite suite = new ChaosSuite(stack, s, System.out);
        try {
            return suite.run(faults);
        } finally {
            suite.close();
        }
    }

    private ChaosSuite.Settings settings() {
        if (rate <= 0 || seconds < 5 || workers < 2) {
            throw new IllegalArgumentException("need --rate > 0, --seconds >= 5 and --workers >= 2 (one is killed), got "
                    + rate + ", " + seconds + ", " + workers);
        }
        int after = Math.min(4, seconds / 4);
        return new ChaosSuite.Settings(rate, Duration.ofSeconds(seconds), Duration.ofSeconds(after),
                Duration.ofSeconds(brokerOutage), Duration.ofSeconds(redisOutage), bulkItems, uploads, deadlineMs);
    }
}
