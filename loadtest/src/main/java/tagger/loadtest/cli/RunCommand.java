package tagger.loadtest.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tagger.loadtest.cost.CostModel;
import tagger.loadtest.origin.FaultPlan;
import tagger.loadtest.origin.Photo;
import tagger.loadtest.schedule.Arrivals;
import tagger.loadtest.schedule.LoadModel;
import tagger.loadtest.schedule.RateShape;
import tagger.loadtest.slo.Slo;
import tagger.loadtest.sweep.RunSpec;

/** {@code loadtest run}: load an api-server, measure, judge against an SLO, write the reports. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Offer load to a tagger api-server and report latency, throughput, errors, stages and cost.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the api-server (default: ${DEFAULT-VALUE}).")
    URI target;

    @Option(names = "--scenario", defaultValue = "url", description = "url, bytes, multi, a mix such as "
            + "url=0.7,bytes=0.2,multi=0.1, or bulk (each operation one batch of --batch-size URLs) (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--urls-per-request", defaultValue = "4", description = "URLs in each multi request (default: ${DEFAULT-VALUE}).")
    int urlsPerRequest;

    @Option(names = "--batch-size", defaultValue = "100", description = "URLs per bulk batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--bulk-background", defaultValue = "0", description = "Keep this many bulk batches running beside "
            + "the real-time levels and report them apart: the mixed scenario (default: ${DEFAULT-VALUE}).")
    int bulkBackground;

    @Option(names = "--poll-interval", defaultValue = "250ms", converter = DurationConverter.class,
            description = "Time between two status reads of a running bulk batch (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(names = "--batch-timeout", defaultValue = "10m", converter = DurationConverter.class,
            description = "A bulk batch not complete by then is cancelled and counted as a timeout (default: ${DEFAULT-VALUE}).")
    Duration batchTimeout;

    @Option(names = "--top-k", description = "topK to ask for (default: the model's).")
    Integer topK;

    @Option(names = "--rate", description = "Open loop at this many requests/s.")
    Double rate;

    @Option(names = "--rates", split = ",", description = "Open-loop sweep, one level per rate: 10,20,40.")
    List<Double> rates;

    @Option(names = "--ramp", description = "One open-loop level whose rate ramps linearly: FROM:TO, e.g. 10:200.")
    String ramp;

    @Option(names = "--concurrency", description = "Closed loop with this many clients.")
    Integer concurrency;

    @Option(names = "--concurrencies", split = ",", description = "Closed-loop sweep: 1,2,4,8.")
    List<Integer> concurrencies;

    @Option(names = "--find-knee", description = "Search for the highest rate meeting --slo (doubling, then bisecting).")
    boolean findKnee;

    @Option(names = "--start-rate", defaultValue = "5", description = "Knee search: first rate (default: ${DEFAULT-VALUE}).")
    double startRate;

    @Option(names = "--max-rate", defaultValue = "2000", description = "Knee search: highest rate tried (default: ${DEFAULT-VALUE}).")
    double maxRate;

    @Option(names = "--knee-steps", defaultValue = "3", description = "Knee search: bisection steps (default: ${DEFAULT-VALUE}).")
    int kneeSteps;

    @Option(names = "--slo", description = "Objectives every level must meet, e.g. 'p99<800ms,errors<1%%'; "
            + "missed -> exit 99.")
    String slo;

    @Option(names = "--goodput-latency", converter = DurationConverter.class,
            description = "Answers within this latency count toward goodput (default: the --slo latency bound, else --timeout).")
    Duration goodputLatency;

    @Mixin
    OriginOptions origin;

    @Option(names = "--worker-cost", defaultValue = "0", description = "$ per worker per hour, for cost per million images.")
    double workerCost;

    @Option(names = "--workers", defaultValue = "1", description = "Workers serving the load (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--api-cost", defaultValue = "0", description = "$ per api-server per hour (default: ${DEFAULT-VALUE}).")
    double apiCost;

    @Option(names = "--api-servers", defaultValue = "1", description = "api-servers serving the load (default: ${DEFAULT-VALUE}).")
    int apiServers;

    @Option(names = "--scrape", description = "Prometheus /metrics URL sampled every second (repeatable), e.g. the worker's.")
    List<URI> scrape = new ArrayList<>();

    @Option(names = "--validate", defaultValue = "3", description = "Requests per scenario that must come back tagged "
            + "before any load (default: ${DEFAULT-VALUE}).")
    int validate;

    @Mixin
    GeneratorOptions generator;

    @Override
    public Integer call() throws Exception {
        RunSpec runSpec;
        try {
            runSpec = build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return Execution.run(runSpec, generator.outDir(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    RunSpec build() {
        generator.check();
        Arrivals arrivals = Arrivals.parse(generator.arrivals);
        Slo objectives = Slo.parse(slo);
        List<LoadModel> levels = levels(arrivals);
        RunSpec.Knee knee = null;
        if (findKnee) {
            if (objectives.isEmpty()) {
                throw new IllegalArgumentException("--find-knee needs --slo: the knee is the highest rate that meets it");
            }
            knee = new RunSpec.Knee(startRate, maxRate, kneeSteps, arrivals, false);
        }
        if (urlsPerRequest < 1) {
            throw new IllegalArgumentException("--urls-per-request must be >= 1, got " + urlsPerRequest);
        }
        if (validate < 1 || validate > 100) {
            throw new IllegalArgumentException("--validate must be 1..100 (a run never starts without checking the target), got "
                    + validate);
        }
        List<RunSpec.Share> scenarios = Scenarios.parse(scenario);
        RunSpec.Bulk bulk = new RunSpec.Bulk(bulkBackground, batchSize, pollInterval, batchTimeout);
        Duration good = goodputLatency != null ? goodputLatency : objectives.latencyBound().orElse(generator.timeout);
        List<Photo> photos = origin.photos();
        FaultPlan faults = origin.faults();
        return new RunSpec(generator.name, target, scenarios, urlsPerRequest, topK, photos, faults,
                origin.origin(), levels, knee, generator.warmup, generator.duration, generator.cooldown, generator.settle, generator.seed,
                validate, generator.timeout, generator.maxInflight, generator.httpThreads, objectives, good,
                new CostModel(workerCost, workers, apiCost, apiServers), generator.limits(), scrape, bulk);
    }

    private List<LoadModel> levels(Arrivals arrivals) {
        int chosen = (rate != null ? 1 : 0) + (rates != null ? 1 : 0) + (ramp != null ? 1 : 0)
                + (concurrency != null ? 1 : 0) + (concurrencies != null ? 1 : 0) + (findKnee ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException("choose one of --rate, --rates, --ramp, --concurrency, --concurrencies, "
                    + "--find-knee; got " + chosen);
        }
        List<LoadModel> levels = new ArrayList<>();
        if (findKnee) {
            return levels;
        }
        if (rates != null) {
            rates.forEach(r -> levels.add(new LoadModel.Open(RateShape.constant(positive(r, "--rates")), arrivals)));
        } else if (ramp != null) {
            String[] p = ramp.split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("--ramp must be FROM:TO requests/s, e.g. 10:200, got '" + ramp + "'");
            }
            try {
                levels.add(new LoadModel.Open(new RateShape(Double.parseDouble(p[0]), Double.parseDouble(p[1])), arrivals));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ramp must be FROM:TO requests/s, e.g. 10:200, got '" + ramp + "'");
            }
        } else if (concurrency != null) {
            levels.add(new LoadModel.Closed(concurrency));
        } else if (concurrencies != null) {
            concurrencies.forEach(c -> levels.add(new LoadModel.Closed(c)));
        } else {
            levels.add(new LoadModel.Open(RateShape.constant(positive(rate == null ? 10 : rate, "--rate")), arrivals));
        }
        return levels;
    }

    private static double positive(double r, String option) {
        if (!(r > 0) || !Double.isFinite(r)) {
            throw new IllegalArgumentException(option + " must be > 0 requests/s, got " + r);
        }
        return r;
    }
}
