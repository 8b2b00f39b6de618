package tagger.loadtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tagger.loadtest.LoadtestMain;
import tagger.loadtest.schedule.LoadModel;
import tagger.loadtest.sweep.RunSpec;

/** Command-line mistakes end with exit code 2 and a message naming the option and the value; nothing is started. */
class RunCommandTest {
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = LoadtestMain.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static RunSpec spec(String... args) {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command.build();
    }

    @Test
    void twoLoadModelsAtOnceAreAUsageError() {
        assertEquals(2, execute("run", "--rate", "10", "--concurrency", "4"));
        assertTrue(err.toString().contains("choose one of --rate, --rates, --ramp, --concurrency, --concurrencies, "
                + "--find-knee; got 2"), err.toString());
    }

    @Test
    void aBadSloIsAUsageErrorQuotingTheTerm() {
        assertEquals(2, execute("run", "--slo", "p99<8OOms"));
        assertTrue(err.toString().contains("SLO term 'p99<8OOms': duration must be a number"), err.toString());
    }

    @Test
    void aKneeSearchNeedsAnSlo() {
        assertEquals(2, execute("run", "--find-knee"));
        assertTrue(err.toString().contains("--find-knee needs --slo"), err.toString());
    }

    @Test
    void bulkCannotShareAScheduleWithRealTimeScenarios() {
        assertEquals(2, execute("run", "--scenario", "url=0.5,bulk=0.5"));
        assertTrue(err.toString().contains("--scenario bulk cannot share a schedule with real-time scenarios"), err.toString());
        assertTrue(err.toString().contains("use --bulk-background N"), err.toString());
    }

    @Test
    void bulkBackgroundNeedsRealTimeLevels() {
        assertEquals(2, execute("run", "--scenario", "bulk", "--bulk-background", "2"));
        assertTrue(err.toString().contains("got --bulk-background 2"), err.toString());
    }

    @Test
    void aBatchSizeOutsideTheApiLimitIsAUsageError() {
        assertEquals(2, execute("run", "--scenario", "bulk", "--batch-size", "0"));
        assertTrue(err.toString().contains("--batch-size must be 1..100000"), err.toString());
        assertTrue(err.toString().contains("got 0"), err.toString());
    }

    @Test
    void theBulkScenarioAndTheMixBuildTheirSpecs() {
        RunSpec bulk = spec("--scenario", "bulk", "--concurrency", "2", "--batch-size", "500", "--batch-timeout", "2m");
        assertTrue(bulk.bulkLevels());
        assertEquals(500, bulk.bulk().batchSize());
        assertEquals(Duration.ofMinutes(2), bulk.bulk().batchTimeout());
        RunSpec mixed = spec("--rate", "20", "--bulk-background", "3");
        assertEquals(false, mixed.bulkLevels());
        assertEquals(3, mixed.bulk().background());
        assertEquals(3, mixed.describe().get("bulkBackground"));
    }

    @Test
    void impossibleFaultSharesAreAUsageError() {
        assertEquals(2, execute("run", "--origin-faults", "500=80%,404=30%"));
        assertTrue(err.toString().contains("fault shares add up to 110.0%, more than 100%"), err.toString());
    }

    @Test
    void theDefaultsAreOnePoissonLevelWithTheSloBoundAsGoodputLatency() {
        RunSpec s = spec("--slo", "p99<800ms,errors<1%", "--image", "640x480.jpg,320x240.png");
        assertEquals(1, s.levels().size());
        assertEquals("poisson 10/s", s.levels().get(0).describe());
        assertEquals(Duration.ofMillis(800), s.goodLatency());
        assertEquals(2, s.photos().size());
        assertEquals(Duration.ofSeconds(5), s.warmup());
    }

    @Test
    void sweepsRampsAndMixesBecomeLevelsAndShares() {
        RunSpec rates = spec("--rates", "10,20,40", "--arrivals", "constant");
        assertEquals(3, rates.levels().size());
        assertEquals("constant 40/s", rates.levels().get(2).describe());
        RunSpec ramp = spec("--ramp", "10:200");
        assertEquals("poisson 10→200/s", ramp.levels().get(0).describe());
        RunSpec closed = spec("--concurrencies", "1,2,4", "--scenario", "url=3,bytes=1");
        assertEquals(new LoadModel.Closed(4), closed.levels().get(2));
        assertEquals(java.util.List.of(new RunSpec.Share("url", 3), new RunSpec.Share("bytes", 1)), closed.scenarios());
    }
}
