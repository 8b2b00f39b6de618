package tagger.models;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Command line: {@code ModelsMain <demo|mobilenetv2|resnet50|mobilenetv2-int8> <outDir>} writes
 * that model directory and prints what it wrote. Exit code 0 on success, 2 on a usage error.
 */
public final class ModelsMain {
    private ModelsMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println(usage());
            return 2;
        }
        Path dir = Path.of(args[1]);
        GeneratedModel model;
        if (args[0].equals("demo")) {
            model = DemoModel.write(dir);
        } else {
            BenchmarkModels.Kind kind = Arrays.stream(BenchmarkModels.Kind.values())
                    .filter(k -> k.cliName().equals(args[0])).findFirst().orElse(null);
            if (kind == null) {
                err.println("unknown model \"" + args[0] + "\"; " + usage());
                return 2;
            }
            model = BenchmarkModels.write(kind, dir);
        }
        out.printf(Locale.ROOT, "wrote %s %s to %s (%,d parameters)%n",
                model.name(), model.version(), model.directory(), model.parameters());
        for (Path f : model.files()) {
            out.printf(Locale.ROOT, "  %-12s %,14d bytes%n", f.getFileName(), size(f));
        }
        return 0;
    }

    private static String usage() {
        String names = Stream.concat(Stream.of("demo"), Arrays.stream(BenchmarkModels.Kind.values()).map(BenchmarkModels.Kind::cliName))
                .collect(Collectors.joining("|"));
        return "usage: ModelsMain <" + names + "> <outDir>";
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
