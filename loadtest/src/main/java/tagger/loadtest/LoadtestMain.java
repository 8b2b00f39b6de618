package tagger.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tagger.loadtest.cli.CapacityCommand;
import tagger.loadtest.cli.OriginCommand;
import tagger.loadtest.cli.ReportCommand;
import tagger.loadtest.cli.RunCommand;

/**
 * The {@code loadtest} command line (also {@code ./tagger loadtest}): {@code run} a load test,
 * measure the generator's own {@code capacity}, serve the image {@code origin} alone, or rebuild a
 * {@code report} from its JSON.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "tagger loadtest 0.1.0",
        description = "Load generator and benchmark report for the tagger HTTP API.",
        subcommands = {RunCommand.class, CapacityCommand.class, OriginCommand.class, ReportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every level valid and within the SLO",
                "1:the run could not be set up (e.g. the origin could not listen)",
                "2:invalid command line",
                "3:validation failed: the first requests did not come back tagged",
                "4:invalid run: the generator could not keep its schedule",
                "99:SLO missed"})
public final class LoadtestMain implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for callers that set their own output streams (tests, the launcher). */
    public static CommandLine commandLine() {
        return new CommandLine(new LoadtestMain());
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
