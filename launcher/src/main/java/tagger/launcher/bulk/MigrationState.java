package tagger.launcher.bulk;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import tagger.common.Json;

/**
 * What a migration has done so far, kept in a small JSON file next to its output so that
 * {@code --resume} continues where it stopped: each chunk's batch id and results cursor, and how many
 * bytes of the output file hold complete outcomes (anything after that is cut off on resume, so no
 * outcome is ever written twice). Written to a temporary file and moved into place, never half-written.
 *
 * @param input    the absolute path of the input file
 * @param options  the query options every chunk was submitted with (e.g. {@code topK=3})
 * @param outBytes bytes of the output that belong to the chunks recorded here
 * @param deadline ISO-8601 time every chunk's batch should be finished by ({@code --finish-within}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MigrationState(String input, int chunkSize, String options, long totalItems, long outBytes,
        List<Chunk> chunks, String deadline) {

    /**
     * One submitted chunk.
     *
     * @param cursor   where its results log was read up to (null: from the start)
     * @param complete every outcome of the chunk is in the output
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Chunk(int index, String batchId, int items, int rejected, String cursor, boolean complete) {
    }

    static MigrationState start(Path input, int chunkSize, String options, long totalItems) {
        return new MigrationState(input.toAbsolutePath().toString(), chunkSize, options, totalItems, 0, List.of(), null);
    }

    static Path fileFor(Path out) {
        return out.resolveSibling(out.getFileName() + ".state.json");
    }

    static MigrationState load(Path file) throws IOException {
        return Json.MAPPER.readValue(file.toFile(), MigrationState.class);
    }

    void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Json.writeBytes(this));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    MigrationState withChunk(Chunk chunk, long outBytes) {
        List<Chunk> all = new ArrayList<>(chunks);
        all.removeIf(c -> c.index() == chunk.index());
        all.add(chunk);
        all.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new MigrationState(input, chunkSize, options, totalItems, outBytes, List.copyOf(all), deadline);
    }

    MigrationState withDeadline(String deadline) {
        return new MigrationState(input, chunkSize, options, totalItems, outBytes, chunks, deadline);
    }

    /** Chunks submitted but not yet fully read. */
    List<Chunk> open() {
        return chunks.stream().filter(c -> !c.complete()).toList();
    }

    int submittedChunks() {
        return chunks.size();
    }
}
