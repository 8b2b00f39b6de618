package tagger.launcher.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationStateTest {
    @Test
    void theStateSurvivesASaveAndLoadAndKnowsItsOpenChunks(@TempDir Path tmp) throws Exception {
        Path file = MigrationState.fileFor(tmp.resolve("out.jsonl"));
        MigrationState state = MigrationState.start(tmp.resolve("urls.txt"), 100, "topK=2", 250)
                .withChunk(new MigrationState.Chunk(1, "b-2", 100, 0, null, false), 10)
                .withChunk(new MigrationState.Chunk(0, "b-1", 99, 1, "1700000000000-5", true), 20);

        state.save(file);
        MigrationState loaded = MigrationState.load(file);

        assertEquals(state, loaded);
        assertEquals(tmp.resolve("out.jsonl.state.json"), file);
        assertEquals(List.of(0, 1), loaded.chunks().stream().map(MigrationState.Chunk::index).toList());
        assertEquals(List.of("b-2"), loaded.open().stream().map(MigrationState.Chunk::batchId).toList());
        assertEquals(20, loaded.outBytes());
    }
}
