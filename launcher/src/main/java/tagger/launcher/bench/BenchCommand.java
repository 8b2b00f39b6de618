package tagger.launcher.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./tagger bench}: the measurements behind docs/benchmarks.md, against the local RabbitMQ and Redis. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: raw ONNX Runtime vs the worker fed from RabbitMQ, and idle latency.",
        subcommands = {ThroughputCommand.class, LatencyCommand.class, CacheCommand.class, DecodeCommand.class,
            StackCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Turns a picocli option value problem into the usual usage error. */
    static CommandLine.ParameterException badOption(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
