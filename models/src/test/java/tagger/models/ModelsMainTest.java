package tagger.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ModelsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void demoWritesTheDirectoryAndPrintsFilesAndParameterCount(@TempDir Path dir) {
        assertEquals(0, run("demo", dir.toString()));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("wrote demo-colors 1 to " + dir + " (272 parameters)"), printed);
        assertTrue(printed.contains("model.onnx") && printed.contains("labels.txt") && printed.contains("model.json"), printed);
        assertTrue(Files.isRegularFile(dir.resolve("model.onnx")));
    }

    @Test
    void unknownModelNameIsAUsageErrorListingTheKnownNames(@TempDir Path dir) {
        assertEquals(2, run("resnet18", dir.toString()));
        assertEquals("unknown model \"resnet18\"; usage: ModelsMain <demo|mobilenetv2|resnet50|mobilenetv2-int8> <outDir>",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void missingOutputDirectoryIsAUsageError() {
        assertEquals(2, run("demo"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: ModelsMain <demo|"));
    }
}
