package tagger.loadtest.cli;

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
import tagger.loadtest.slo.Slo;
import tagger.loadtest.sweep.RunSpec;

/**
 * {@code loadtest capacity}: how fast this generator can go on this machine. Offers open-loop load
 * to a trivial in-process endpoint with the API's shape and searches for the highest rate whose
 * levels stay valid (on schedule, no errors): every server number below that rate is the server's.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Find the highest request rate this generator sustains here, against a trivial local endpoint.")
public final class CapacityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--start-rate", defaultValue = "500", description = "First rate (default: ${DEFAULT-VALUE}).")
    double startRate;

    @Option(names = "--max-rate", defaultValue = "50000", description = "Highest rate tried (default: ${DEFAULT-VALUE}).")
    double maxRate;

    @Option(names = "--knee-steps", defaultValue = "3", description = "Bisection steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin
    GeneratorOptions generator;

    @Override
    public Integer call() throws Exception {
        RunSpec runSpec;
        try {
            generator.check();
            Arrivals arrivals = Arrivals.parse(generator.arrivals);
            runSpec = new RunSpec(generator.name, null, List.of(new RunSpec.Share("url", 1)), 1, null,
                    List.of(Photo.parse("320x240.jpg")), FaultPlan.NONE,
                    new RunSpec.Origin("127.0.0.1", "127.0.0.1", 0, null, 1), List.of(),
                    new RunSpec.Knee(startRate, maxRate, steps, arrivals, true), generator.warmup, generator.duration,
                    generator.cooldown, generator.settle, generator.seed, 1, generator.timeout, generator.maxInflight, generator.httpThreads,
                    Slo.parse("errors<1%"), generator.timeout, CostModel.NONE, generator.limits(), List.of(),
                    RunSpec.Bulk.NONE);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return Execution.run(runSpec, generator.outDir(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

}
