package tagger.loadtest.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import tagger.loadtest.report.ConsoleReport;
import tagger.loadtest.report.ReportFiles;
import tagger.loadtest.sweep.LevelOutcome;
import tagger.loadtest.sweep.Run;
import tagger.loadtest.sweep.RunResult;
import tagger.loadtest.sweep.RunSpec;

/** Runs a spec, prints progress and the summary, writes the report files, returns the exit code. */
final class Execution {
    private Execution() {
    }

    static int run(RunSpec spec, Path outDir, PrintWriter out, PrintWriter err) throws InterruptedException {
        RunResult result;
        try {
            result = new Run(spec, new Run.Progress() {
                @Override
                public void note(String line) {
                    out.println(line);
                    out.flush();
                }

                @Override
                public void level(LevelOutcome level) {
                    out.println("  " + ConsoleReport.levelLine(level));
                    out.flush();
                }
            }).execute();
        } catch (IllegalStateException e) {
            err.println("loadtest: " + e.getMessage());
            err.flush();
            return 1;
        }
        List<String> files;
        try {
            files = ReportFiles.write(result, outDir);
        } catch (IOException e) {
            err.println("loadtest: could not write the reports to " + outDir + ": " + e.getMessage());
            files = List.of();
        }
        ConsoleReport.print(result, files, out);
        return result.exitCode();
    }
}
