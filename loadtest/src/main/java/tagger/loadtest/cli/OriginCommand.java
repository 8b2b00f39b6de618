package tagger.loadtest.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tagger.loadtest.origin.Fault;
import tagger.loadtest.origin.OriginServer;
import tagger.loadtest.origin.Photo;
import tagger.loadtest.origin.PhotoCorpus;

/**
 * {@code loadtest origin}: the image origin on its own, e.g. on another machine so that serving
 * images does not take CPU from the generator; runs until Ctrl-C.
 */
@Command(name = "origin", mixinStandardHelpOptions = true,
        description = "Serve the synthetic photo corpus (with faults asked for in each URL) until Ctrl-C.")
public final class OriginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", defaultValue = "8091", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--image", split = ",", defaultValue = "640x480.jpg",
            description = "Photo kinds to generate ahead (others are generated on first request) (default: ${DEFAULT-VALUE}).")
    List<String> images;

    @Option(names = "--variants", defaultValue = "4", description = "Pictures per photo kind (default: ${DEFAULT-VALUE}).")
    int variants;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the pictures (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PhotoCorpus corpus;
        List<Photo> photos;
        try {
            corpus = new PhotoCorpus(variants, seed);
            photos = images.stream().map(Photo::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        out.println("generating " + photos + " ...");
        out.flush();
        corpus.prepare(photos);
        CountDownLatch stopped = new CountDownLatch(1);
        try (OriginServer origin = OriginServer.start(bind, port, corpus)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "origin-shutdown"));
            Photo p = photos.get(0);
            out.println("image origin on " + origin.baseUrl());
            out.println("  image:  " + origin.baseUrl() + "/photo/" + p.width() + "x" + p.height() + "/any-id."
                    + p.format().extension());
            out.println("  faults: ?" + new Fault(150, Fault.Kind.DRIP, 2000).query()
                    + "   (fault = 404 | 500 | 429 | truncate | drip)");
            out.println("  use it: loadtest run --origin " + origin.baseUrl() + " ...    Ctrl-C to stop");
            out.flush();
            stopped.await();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("loadtest origin: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
