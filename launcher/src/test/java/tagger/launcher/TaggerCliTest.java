package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TaggerCliTest {

    @Test
    void taggerLoadtestIsTheLoadGeneratorsCommandLineWithItsExitCodes() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new TaggerCli());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("loadtest", "--help"));
        assertTrue(out.toString().contains("Exit codes:") && out.toString().contains("99   SLO missed"), out.toString());
        assertTrue(cli.getSubcommands().get("loadtest").getSubcommands().keySet()
                .containsAll(java.util.Set.of("run", "capacity", "origin")));
    }

    @Test
    void aLoadtestUsageErrorComesBackAsExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TaggerCli());
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("loadtest", "run", "--rate", "-1"));
        assertTrue(err.toString().contains("--rate must be > 0 requests/s, got -1.0"), err.toString());
    }
}
