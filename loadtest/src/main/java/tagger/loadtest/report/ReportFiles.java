package tagger.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tagger.loadtest.sweep.RunResult;

/** Writes the three report files of a run into one folder: report.json, levels.csv, report.html. */
public final class ReportFiles {
    public static final String JSON = "report.json";
    public static final String CSV = "levels.csv";
    public static final String HTML = "report.html";

    private ReportFiles() {
    }

    /** Returns the paths written. */
    public static List<String> write(RunResult run, Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonReport.write(run, dir.resolve(JSON));
        CsvReport.write(run, dir.resolve(CSV));
        HtmlReport.write(run, dir.resolve(HTML));
        return List.of(dir.resolve(JSON).toString(), dir.resolve(CSV).toString(), dir.resolve(HTML).toString());
    }
}
