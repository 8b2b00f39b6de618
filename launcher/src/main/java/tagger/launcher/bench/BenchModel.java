package tagger.launcher.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tagger.launcher.Home;
import tagger.models.BenchmarkModels;

/**
 * A model a benchmark runs, written under {@code TAGGER_HOME/models} on first use and never
 * committed: a generated benchmark graph (realistic compute, random weights) or the demo model.
 */
enum BenchModel {
    MOBILENETV2(BenchmarkModels.Kind.MOBILENETV2),
    RESNET50(BenchmarkModels.Kind.RESNET50),
    /** Tiny compute: the pipeline's own costs dominate, useful for latency, not for throughput ratios. */
    DEMO(null);

    private final BenchmarkModels.Kind kind;

    BenchModel(BenchmarkModels.Kind kind) {
        this.kind = kind;
    }

    /** The model directory, generated now if it is not there yet. */
    Path directory() {
        try {
            if (kind == null) {
                return Home.demoModel();
            }
            Path dir = Home.dir().resolve("models").resolve("bench-" + kind.cliName());
            if (!Files.exists(dir.resolve("model.json"))) {
                System.out.println("generating the " + kind.cliName() + " benchmark model into " + dir + " ...");
                Files.createDirectories(dir);
                BenchmarkModels.write(kind, dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + this + " model under " + Home.dir(), e);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
