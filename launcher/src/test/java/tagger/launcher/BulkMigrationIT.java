package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.api.ApiServer;
import tagger.common.Json;
import tagger.launcher.bulk.BulkCommand;
import tagger.models.DemoModel;
import tagger.fixtures.ImageOrigin;
import tagger.testkit.SampleImages;
import tagger.testkit.TestNamespace;
import tagger.worker.Worker;

/**
 * The migration client end to end: {@code ./tagger bulk submit} interrupted part-way, then resumed,
 * leaves exactly one outcome line per input line and downloads no image twice.
 */
class BulkMigrationIT {
    static final int LINES = 300;

    @Test
    void anInterruptedMigrationResumesWithoutRetaggingOrRewritingAnything(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("demo");
        DemoModel.write(model);
        try (TestNamespace ns = TestNamespace.random();
                ImageOrigin origin = ImageOrigin.start();
                Worker worker = TestStack.worker(ns, model, Map.of());
                ApiServer api = TestStack.api(ns, Map.of("TAGGER_BULK_PER_HOST", "4"))) {
            StringBuilder urls = new StringBuilder("# a photo library\n");
            for (int i = 0; i < LINES; i++) {
                String path = "/lib-" + i + ".png";
                origin.put(path, SampleImages.png(SampleImages.solid(8, 8, new Color(i % 256, 50, 50))), "image/png");
                urls.append(i % 3 == 0 ? "photo-" + i + "\t" : "").append(origin.url("/slow/10" + path)).append('\n');
            }
            urls.append("not-a-url\n");
            Path input = tmp.resolve("urls.txt");
            Files.writeString(input, urls);
            Path out = tmp.resolve("results.jsonl");
            String[] args = {"submit", input.toString(), "--api", "http://127.0.0.1:" + api.port(), "--chunk", "50",
                "--window", "2", "--out", out.toString(), "--top-k", "1", "--finish-within", "2h"};
            long startedAt = System.currentTimeMillis();

            AtomicReference<Integer> first = new AtomicReference<>();
            Thread run = new Thread(() -> first.set(new picocli.CommandLine(new BulkCommand()).execute(args)));
            run.start();
            long until = System.currentTimeMillis() + 60_000;
            while ((!Files.exists(out) || Files.readAllLines(out).size() < 60) && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            run.interrupt(); // Ctrl-C
            run.join(30_000);
            assertTrue(first.get() != null && first.get() != 0, "stopped before the end: " + first.get());
            long partial = Files.readAllLines(out).size();
            assertTrue(partial < LINES + 1, "interrupted part-way: " + partial);

            // every chunk carries the run's deadline, which the state keeps for --resume
            JsonNode state = Json.MAPPER.readTree(tmp.resolve("results.jsonl.state.json").toFile());
            long deadline = java.time.Instant.parse(state.path("deadline").asText()).toEpochMilli();
            assertTrue(deadline >= startedAt + 7_200_000 - 1_000 && deadline <= System.currentTimeMillis() + 7_200_000,
                    "now + 2 h: " + state);
            String firstBatch = state.path("chunks").get(0).path("batchId").asText();
            assertEquals(state.path("deadline").asText(), new tagger.launcher.bulk.BatchClient("http://127.0.0.1:"
                    + api.port()).status(firstBatch).body().path("deadline").asText());

            int refused = new picocli.CommandLine(new BulkCommand()).execute(args);
            assertEquals(2, refused, "a recorded migration is not silently started over");

            String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
            resume[args.length] = "--resume";
            assertEquals(0, new picocli.CommandLine(new BulkCommand()).execute(resume));

            List<String> lines = Files.readAllLines(out);
            assertEquals(LINES + 1, lines.size(), "one line per input item");
            Set<String> ids = new HashSet<>();
            for (String line : lines) {
                JsonNode o = Json.MAPPER.readTree(line);
                assertTrue(ids.add(o.path("id").asText()), "a second line for " + o.path("id"));
                if (o.path("url").asText().equals("not-a-url")) {
                    assertEquals("rejected", o.path("error").path("code").asText());
                } else {
                    assertEquals(1, o.path("tags").size(), line);
                }
            }
            assertTrue(ids.contains("photo-0") && ids.contains("3") && ids.contains("photo-3"), ids.toString());
            for (int i = 0; i < LINES; i++) {
                assertEquals(1, origin.hits("/slow/10/lib-" + i + ".png"), "image " + i + " was downloaded once");
            }
        }
    }
}
