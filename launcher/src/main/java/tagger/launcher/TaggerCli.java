package tagger.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tagger.loadtest.LoadtestMain;
import tagger.launcher.bench.BenchCommand;
import tagger.launcher.bulk.BulkCommand;
import tagger.launcher.chaos.ChaosCommand;

/** The {@code ./tagger} command line: one subcommand per job. */
@Command(name = "tagger", mixinStandardHelpOptions = true, version = "tagger 0.1.0",
        description = "Distributed image tagging: api-server -> RabbitMQ -> ai-worker (ONNX) -> Redis.",
        subcommands = {DemoCommand.class, UpCommand.class, ScaleCommand.class, StatusCommand.class,
                BulkCommand.class, ModelsCommand.class, LoadtestMain.class, BenchCommand.class, ChaosCommand.class})
public final class TaggerCli implements Runnable {

    public static void main(String[] args) {
        // lets `--model mobilenetv2` name an enum constant in lower case
        int code = new CommandLine(new TaggerCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
