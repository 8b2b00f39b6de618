package tagger.loadtest.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tagger.common.Json;
import tagger.loadtest.report.ConsoleReport;
import tagger.loadtest.report.ReportFiles;
import tagger.loadtest.sweep.RunResult;

/** {@code loadtest report DIR}: rebuilds levels.csv and report.html (and the summary) from a run's report.json. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild levels.csv and report.html from a run's report.json (e.g. after upgrading the tool).")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The run's folder (holding report.json) or the report.json itself.")
    Path source;

    @Override
    public Integer call() throws IOException {
        Path json = Files.isDirectory(source) ? source.resolve(ReportFiles.JSON) : source;
        if (!Files.isRegularFile(json)) {
            spec.commandLine().getErr().println("loadtest report: no " + ReportFiles.JSON + " at " + json);
            return 2;
        }
        RunResult run = Json.MAPPER.readValue(json.toFile(), RunResult.class);
        List<String> files = ReportFiles.write(run, json.toAbsolutePath().getParent());
        ConsoleReport.print(run, files, spec.commandLine().getOut());
        return run.exitCode();
    }
}
