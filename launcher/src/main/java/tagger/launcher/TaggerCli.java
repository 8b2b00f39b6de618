package tagger.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tagger.launcher.bulk.BulkCommand;

/** The {@code ./tagger} command line: one subcommand per job. */
@Command(name = "tagger", mixinStandardHelpOptions = true, version = "tagger 0.1.0",
        description = "Distributed image tagging: api-server -> RabbitMQ -> ai-worker (ONNX) -> Redis.",
        subcommands = {DemoCommand.class, UpCommand.class, ModelsCommand.class, BulkCommand.class})
public final class TaggerCli implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new TaggerCli()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
