package tagger.loadtest.report;

import java.io.IOException;
import java.nio.file.Path;
import tagger.common.Json;
import tagger.loadtest.sweep.RunResult;

/**
 * The whole run as JSON: settings, environment, every level with full percentile spectra, status
 * and error breakdowns, stages, generator self-check, scraped server metrics, the time series, and
 * each level's latency HdrHistogram (compressed, base64) so runs can be merged later.
 */
public final class JsonReport {
    private JsonReport() {
    }

    public static void write(RunResult run, Path file) throws IOException {
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), run);
    }
}
