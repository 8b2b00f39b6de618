package tagger.launcher.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tagger.common.Json;
import tagger.common.Sha256;

/**
 * One migration run: submits the input in chunks (at most {@code window} batches unfinished at a
 * time, so a huge file never floods the service), appends each outcome to the output as it arrives,
 * and keeps the {@link MigrationState} current, so that an interrupted run continues with
 * {@code --resume} without re-tagging a finished item or writing an outcome twice.
 *
 * <p>Each chunk's idempotency key is derived from its content and options: a chunk submitted again
 * (its answer was lost, or the state file with it) names the same batch and tags nothing twice.
 */
final class Migration {
    static final int PAGE = 1_000;

    /**
     * What to migrate and how; {@code options} is the query string every chunk is submitted with;
     * {@code deadline}, when set, is when every batch should be finished (a resumed run without one keeps
     * the recorded deadline).
     */
    record Settings(Path input, Path out, int chunkSize, int window, String options, boolean resume, long pollMs,
            Instant deadline) {
    }

    /** Where progress goes: the terminal's status line, its last text, and lines to keep. */
    interface Console {
        void progress(String line);

        void finish(String line);

        void say(String line);
    }

    /** A refusal to start, with the reason for the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The end: every item of the input has its line in the output. */
    record Summary(long items, long tagged, long failed, long cancelled, long written) {
    }

    private final BatchClient client;
    private final Settings settings;
    private final Console console;
    private final Path stateFile;
    private MigrationState state;
    private long written;
    private long tagged;
    private long failed;
    private long cancelled;

    Migration(BatchClient client, Settings settings, Console console) {
        this.client = client;
        this.settings = settings;
        this.console = console;
        this.stateFile = MigrationState.fileFor(settings.out());
    }

    Summary run() throws IOException, InterruptedException, UsageException {
        long started = System.nanoTime();
        try (FileChannel out = open()) {
            long writtenBefore = written;
            try (UrlList.Chunks chunks = new UrlList.Chunks(settings.input(), state.chunkSize())) {
                for (int i = 0; i < state.submittedChunks(); i++) {
                    chunks.next(); // submitted by an earlier run
                }
                boolean exhausted = false;
                while (true) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("stopped; continue with --resume");
                    }
                    while (!exhausted && state.open().size() < settings.window()) {
                        int index = chunks.nextIndex();
                        List<UrlList.Item> items = chunks.next();
                        if (items.isEmpty()) {
                            exhausted = true;
                        } else {
                            submit(out, index, items);
                        }
                    }
                    boolean progressed = false;
                    double rate = 0;
                    for (MigrationState.Chunk c : state.open()) {
                        progressed |= drain(out, c);
                        rate += rate(c);
                    }
                    if (exhausted && state.open().isEmpty()) {
                        console.finish(Progress.finished(counts(), written - writtenBefore,
                                (System.nanoTime() - started) / 1e9));
                        return new Summary(state.totalItems(), tagged, failed, cancelled, written);
                    }
                    console.progress(Progress.line(counts(), rate));
                    if (!progressed) {
                        Thread.sleep(settings.pollMs());
                    }
                }
            }
        }
    }

    /** Opens (or, resuming, cuts back) the output and loads (or creates) the state. */
    private FileChannel open() throws IOException, UsageException {
        Path out = settings.out();
        if (settings.resume()) {
            if (!Files.exists(stateFile)) {
                throw new UsageException("nothing to resume: " + stateFile + " does not exist");
            }
            state = MigrationState.load(stateFile);
            String input = settings.input().toAbsolutePath().toString();
            if (!state.input().equals(input) || state.chunkSize() != settings.chunkSize()
                    || !state.options().equals(settings.options())) {
                throw new UsageException(stateFile + " records a migration of " + state.input() + " in chunks of "
                        + state.chunkSize() + " with options '" + state.options() + "'; this run asks for " + input
                        + ", " + settings.chunkSize() + ", '" + settings.options() + "'");
            }
            long size = Files.exists(out) ? Files.size(out) : 0;
            if (size < state.outBytes()) {
                throw new UsageException(out + " has " + size + " bytes but the state records " + state.outBytes()
                        + "; it was cut or replaced, so outcomes are missing: delete " + stateFile + " and start over");
            }
        } else {
            if (Files.exists(stateFile)) {
                throw new UsageException("a migration is already recorded in " + stateFile
                        + "; continue it with --resume, or delete it to start over");
            }
            if (Files.exists(out) && Files.size(out) > 0) {
                throw new UsageException(out + " already exists; choose another --out or delete it");
            }
            state = MigrationState.start(settings.input(), settings.chunkSize(), settings.options(),
                    UrlList.count(settings.input()));
        }
        if (settings.deadline() != null) {
            state = state.withDeadline(settings.deadline().toString());
        }
        state.save(stateFile);
        FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(state.outBytes()); // lines written after the last saved state are written again
        channel.position(state.outBytes());
        countWritten(out, state.outBytes());
        return channel;
    }

    private void countWritten(Path out, long bytes) throws IOException {
        if (bytes == 0) {
            return;
        }
        try (var lines = Files.lines(out, StandardCharsets.UTF_8)) {
            lines.forEach(this::count);
        }
    }

    /** Counts one outcome line by its kind: tags, an error, or the cancellation of its batch. */
    private void count(String line) {
        written++;
        JsonNode error;
        try {
            error = Json.MAPPER.readTree(line).path("error");
        } catch (IOException e) {
            throw new UncheckedIOException("an outcome line is not JSON: " + line, e);
        }
        if (error.isMissingNode()) {
            tagged++;
        } else if ("cancelled".equals(error.path("code").asText())) {
            cancelled++;
        } else {
            failed++;
        }
    }

    private Progress.Counts counts() {
        return new Progress.Counts(state.totalItems(), tagged, failed, cancelled);
    }

    private void submit(FileChannel out, int index, List<UrlList.Item> items) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (UrlList.Item item : items) {
            body.append(Json.write(Map.of("id", item.id(), "url", item.url()))).append('\n');
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        // the deadline is no part of the key: a chunk submitted again names the same batch whatever its deadline
        String key = "tagger-cli-" + Sha256.hex(settings.options() + "\n" + body).substring(0, 40);
        String query = String.join("&", java.util.stream.Stream.of(settings.options(),
                state.deadline() == null ? "" : "deadline=" + state.deadline()).filter(q -> !q.isEmpty()).toList());
        BatchClient.Answer a = Retries.call(console, "submitting chunk " + index,
                () -> client.submit(bytes, "application/x-ndjson", key, query.isEmpty() ? null : query));
        if (a.status() != 202 && !(a.status() == 422 && "no_valid_items".equals(code(a)))) {
            throw new IOException("chunk " + index + " (lines " + items.get(0).line() + "-"
                    + items.get(items.size() - 1).line() + ") was refused: HTTP " + a.status() + " " + a.raw().body());
        }
        StringBuilder rejections = new StringBuilder();
        int rejected = a.body().path("rejectedCount").asInt();
        for (JsonNode r : a.body().path("rejected")) {
            UrlList.Item item = items.get(r.path("index").asInt());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", item.id());
            line.put("url", item.url());
            line.put("error", Map.of("code", "rejected", "message", r.path("reason").asText()));
            rejections.append(Json.write(line)).append('\n');
            written++;
            failed++;
        }
        if (rejected > a.body().path("rejected").size()) {
            console.say("chunk " + index + ": " + rejected + " items were refused, only the first "
                    + a.body().path("rejected").size() + " are listed in the output");
        }
        append(out, rejections.toString());
        String batchId = a.status() == 202 ? a.body().path("batchId").asText() : null;
        int accepted = items.size() - rejected;
        state = state.withChunk(new MigrationState.Chunk(index, batchId, accepted, rejected, null, batchId == null),
                out.size());
        state.save(stateFile);
    }

    /** Appends the chunk's new outcomes; true when there were any. */
    private boolean drain(FileChannel out, MigrationState.Chunk chunk) throws IOException, InterruptedException {
        boolean any = false;
        MigrationState.Chunk c = chunk;
        while (!c.complete()) {
            String cursor = c.cursor();
            BatchClient.Page page = Retries.call(console, "reading results of " + c.batchId(),
                    () -> client.results(chunk.batchId(), cursor, PAGE));
            StringBuilder lines = new StringBuilder();
            for (String line : page.lines()) {
                lines.append(line).append('\n');
                count(line);
            }
            append(out, lines.toString());
            c = new MigrationState.Chunk(c.index(), c.batchId(), c.items(), c.rejected(), page.next(), page.complete());
            state = state.withChunk(c, out.size());
            state.save(stateFile);
            any |= !page.lines().isEmpty();
            if (page.lines().size() < PAGE) {
                break;
            }
        }
        return any;
    }

    private double rate(MigrationState.Chunk c) throws InterruptedException, IOException {
        if (c.complete()) {
            return 0;
        }
        BatchClient.Answer a = Retries.call(console, "reading batch " + c.batchId(), () -> client.status(c.batchId()));
        return a.body() == null ? 0 : a.body().path("ratePerSecond").asDouble();
    }

    private static void append(FileChannel out, String text) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        out.force(false); // on disk before the state says so
    }

    private static String code(BatchClient.Answer a) {
        return a.body() == null ? null : a.body().path("error").path("code").asText();
    }
}
