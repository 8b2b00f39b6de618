package tagger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import tagger.common.Json;

/**
 * {@code .tagger/stack.json}: where the running {@code ./tagger up} can be reached — its HTTP URL and
 * its control channel (port and token) — for {@code ./tagger scale} and {@code ./tagger status}.
 * Readable by its owner only, since the token allows stopping workers.
 *
 * @param pid        the {@code up} process
 * @param url        where callers reach the stack (HAProxy, or the single api-server)
 * @param controlUrl the supervisor's control channel on 127.0.0.1
 * @param token      sent as {@code X-Tagger-Token} to the control channel
 */
record StackFile(long pid, String url, String controlUrl, String token, String namespace, long startedAt) {

    static Path defaultPath() {
        return Home.dir().resolve("stack.json");
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Json.write(this));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Optional<StackFile> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(Files.readString(file), StackFile.class));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + " is not a stack file (" + e.getMessage() + "); delete it", e);
        }
    }

    /** Deletes the file if it still describes this process (a newer {@code up} may have replaced it). */
    void deleteIfOurs(Path file) {
        try {
            Optional<StackFile> current = read(file);
            if (current.isPresent() && current.get().pid() == pid && current.get().token().equals(token)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // leaving a stale file is harmless: scale/status report that nothing answers
        }
    }
}
