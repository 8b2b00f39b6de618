package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.common.Json;

class ScaleCommandTest {

    @Test
    void theAnswerSaysWhoLeftAndWhoJoined() throws Exception {
        assertEquals("workers: 3 -> 1 (stopped w-3, w-2; each finished its in-flight jobs or handed them back)",
                ScaleCommand.describe(Json.MAPPER.readTree(
                        "{\"before\":3,\"after\":1,\"started\":[],\"stopped\":[\"w-3\",\"w-2\"]}")));
        assertEquals("workers: 1 -> 2 (started w-4; consuming)", ScaleCommand.describe(Json.MAPPER.readTree(
                "{\"before\":1,\"after\":2,\"started\":[\"w-4\"],\"stopped\":[]}")));
    }

    @Test
    void aCountMustBeAnIntegerInRange() {
        assertEquals(3, ControlServer.count("count=3"));
        assertEquals("count must be between 0 and 64, got -1",
                assertThrows(IllegalArgumentException.class, () -> ControlServer.count("count=-1")).getMessage());
        assertEquals("count must be an integer between 0 and 64, got 'three'",
                assertThrows(IllegalArgumentException.class, () -> ControlServer.count("count=three")).getMessage());
        assertEquals("count must be an integer between 0 and 64, got 'null'",
                assertThrows(IllegalArgumentException.class, () -> ControlServer.count(null)).getMessage());
    }

    @Test
    void withoutARunningStackScalingSaysHowToStartOne(@TempDir Path tmp) {
        ScaleCommand c = new ScaleCommand();
        c.what = "workers";
        c.count = 2;
        c.stackFile = tmp.resolve("stack.json");
        assertEquals(2, c.call());
        new StackFile(42, "http://127.0.0.1:1", "http://127.0.0.1:1", "t", "tagger", 0).write(c.stackFile);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScaleCommand.scale(StackFile.read(c.stackFile).orElseThrow(), 2));
        assertEquals(true, e.getMessage().startsWith("the stack recorded in stack.json (pid 42) does not answer at "
                + "http://127.0.0.1:1"), e.getMessage());
        assertEquals(true, e.getMessage().endsWith("it is not running any more; start one with ./tagger up"), e.getMessage());
    }
}
