package tagger.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {

    static void assertSameBytesTwice(Path tmp, Function<Path, GeneratedModel> generator) throws IOException {
        GeneratedModel first = generator.apply(tmp.resolve("first"));
        GeneratedModel second = generator.apply(tmp.resolve("second"));
        assertEquals(3, first.files().size());
        assertEquals(first.parameters(), second.parameters());
        for (int i = 0; i < first.files().size(); i++) {
            assertArrayEquals(Files.readAllBytes(first.files().get(i)), Files.readAllBytes(second.files().get(i)),
                    first.files().get(i).getFileName() + " differs between runs");
        }
    }

    @Test
    void demoModelIsByteForByteTheSameEveryRun(@TempDir Path tmp) throws IOException {
        assertSameBytesTwice(tmp.resolve("dynamic"), DemoModel::write);
        assertSameBytesTwice(tmp.resolve("fixed"), dir -> DemoModel.write(dir, BatchDimension.FIXED_ONE));
    }

    @Test
    void mobileNetV2FloatAndInt8AreByteForByteTheSameEveryRun(@TempDir Path tmp) throws IOException {
        assertSameBytesTwice(tmp.resolve("float"), dir -> BenchmarkModels.write(BenchmarkModels.Kind.MOBILENETV2, dir));
        assertSameBytesTwice(tmp.resolve("int8"), dir -> BenchmarkModels.write(BenchmarkModels.Kind.MOBILENETV2_INT8, dir));
    }
}
