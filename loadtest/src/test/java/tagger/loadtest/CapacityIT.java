package tagger.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tagger.common.Json;

/**
 * {@code loadtest capacity} end to end against its trivial in-process endpoint, at rates any machine keeps.
 * A send counts as late only after 2 s (the generator stopped, not a busy machine delaying a wake-up), so
 * both levels are kept on a loaded machine and the knee is the higher one.
 */
class CapacityIT {

    @Test
    void theCapacitySearchReportsTheHighestRateTheGeneratorKept(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = LoadtestMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("capacity", "--start-rate", "40", "--max-rate", "80", "--knee-steps", "0",
                "--warmup", "1s", "--duration", "2s", "--cooldown", "0s", "--late-threshold", "2s", "--max-late", "5%",
                "--out", dir.toString());
        assertEquals(0, code, out.toString());
        JsonNode root = Json.MAPPER.readTree(Files.readString(dir.resolve("report.json")));
        assertEquals(80.0, root.path("knee").path("value").asDouble(), root.path("knee").toString());
        assertEquals(2, root.path("levels").size());
        assertEquals("built-in trivial endpoint", root.path("config").path("target").asText());
        assertTrue(out.toString().contains("knee: 80 req/s"), out.toString());
    }
}
