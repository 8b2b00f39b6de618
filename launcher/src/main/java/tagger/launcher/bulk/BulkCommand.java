package tagger.launcher.bulk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./tagger bulk}: migrate a URL list through the batch API, follow or cancel a batch. */
@Command(name = "bulk", mixinStandardHelpOptions = true,
        description = "Bulk migration: submit a URL list, follow or cancel a batch.",
        subcommands = {BulkCommand.Submit.class, BulkCommand.Status.class, BulkCommand.Cancel.class})
public final class BulkCommand implements Runnable {
    static final String DEFAULT_API = "http://127.0.0.1:8080";

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code ./tagger bulk submit urls.txt}. */
    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Tag every URL of a file (one per "
            + "line, or id<TAB>url); outcomes go to a JSONL file as they arrive. Interrupted? Run it again with --resume.")
    static final class Submit implements Callable<Integer> {
        @Parameters(index = "0", description = "The URL list.")
        Path input;

        @Option(names = "--api", defaultValue = DEFAULT_API, description = "Base URL of the api-server or load "
                + "balancer (default: ${DEFAULT-VALUE}).")
        String api;

        @Option(names = "--chunk", defaultValue = "10000", description = "Items per batch (default: ${DEFAULT-VALUE}).")
        int chunk;

        @Option(names = "--window", defaultValue = "4", description = "Batches unfinished at a time (default: "
                + "${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--out", description = "Outcomes, one JSON object per line (default: <input>.results.jsonl); "
                + "the resume state is kept beside it.")
        Path out;

        @Option(names = "--resume", description = "Continue the migration recorded beside --out.")
        boolean resume;

        @Option(names = "--top-k", description = "Tags per image (default: the model's).")
        Integer topK;

        @Option(names = "--min-score", description = "Lowest score returned (default: the model's).")
        Double minScore;

        @Option(names = "--callback-url", description = "POSTed each batch's summary when it finishes.")
        String callbackUrl;

        @Option(names = "--finish-within", description = "Finish the whole migration within this time (e.g. 45m, 2h, "
                + "1h30m, 2d): every batch is submitted with the deadline it gives, and the recommended worker count "
                + "plans for it. On --resume, a new value replaces the recorded deadline.")
        String finishWithin;

        @Override
        public Integer call() throws Exception {
            List<String> problems = new ArrayList<>();
            if (!Files.isRegularFile(input)) {
                problems.add("input must be a file, got '" + input + "'");
            }
            if (chunk < 1 || chunk > 100_000) {
                problems.add("--chunk must be between 1 and 100000, got " + chunk);
            }
            if (window < 1 || window > 64) {
                problems.add("--window must be between 1 and 64, got " + window);
            }
            java.time.Instant deadline = null;
            if (finishWithin != null) {
                try {
                    deadline = java.time.Instant.now().plus(within(finishWithin))
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                System.err.println(String.join("\n", problems));
                return 2;
            }
            Path output = out != null ? out : input.resolveSibling(input.getFileName() + ".results.jsonl");
            Migration.Settings settings = new Migration.Settings(input, output, chunk, window, options(), resume, 1_000,
                    deadline);
            boolean terminal = System.console() != null;
            Migration.Console console = new Migration.Console() {
                private final StatusLine status = new StatusLine();
                private long lastPrinted;

                @Override
                public void progress(String line) {
                    if (terminal) {
                        System.err.print(status.replace(line));
                    } else if (System.currentTimeMillis() - lastPrinted > 10_000) {
                        System.err.println(line);
                        lastPrinted = System.currentTimeMillis();
                    }
                }

                @Override
                public void finish(String line) {
                    System.err.print(terminal ? status.finish(line) : line + "\n");
                }

                @Override
                public void say(String line) {
                    System.err.println((terminal ? status.interrupt() : "") + line);
                }
            };
            System.err.println((resume ? "resuming" : "migrating") + " " + input + " -> " + output + " via " + api);
            try {
                Migration.Summary s = new Migration(new BatchClient(api), settings, console).run();
                System.out.println(s.written() + " outcomes for " + s.items() + " items in " + output + " ("
                        + s.tagged() + " tagged, " + s.failed() + " failed, " + s.cancelled() + " cancelled)");
                return 0;
            } catch (Migration.UsageException e) {
                System.err.println(e.getMessage());
                return 2;
            } catch (InterruptedException e) {
                System.err.println("\nstopped; continue with: ./tagger bulk submit " + input + " --out " + output
                        + " --resume");
                return 130;
            } catch (IOException e) {
                System.err.println("\n" + e.getMessage() + "\ncontinue later with --resume");
                return 1;
            }
        }

        /** "2h", "90m", "1h30m", "45s", "2d" as a duration of at least 10 s. */
        static java.time.Duration within(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:(\\d{1,7})d)?(?:(\\d{1,7})h)?(?:(\\d{1,7})m)?(?:(\\d{1,7})s)?")
                    .matcher(text.strip());
            if (text.isBlank() || !m.matches()) {
                throw new IllegalArgumentException("--finish-within must look like 45m, 2h, 1h30m or 2d, got '" + text + "'");
            }
            long seconds = 0;
            long[] unit = {86_400, 3_600, 60, 1};
            for (int i = 0; i < 4; i++) {
                seconds += m.group(i + 1) == null ? 0 : Long.parseLong(m.group(i + 1)) * unit[i];
            }
            if (seconds < 10 || seconds > 30L * 86_400) {
                throw new IllegalArgumentException("--finish-within must be between 10s and 30d, got '" + text + "'");
            }
            return java.time.Duration.ofSeconds(seconds);
        }

        private String options() {
            List<String> q = new ArrayList<>();
            if (topK != null) {
                q.add("topK=" + topK);
            }
            if (minScore != null) {
                q.add("minScore=" + minScore);
            }
            if (callbackUrl != null) {
                q.add("callbackUrl=" + java.net.URLEncoder.encode(callbackUrl, java.nio.charset.StandardCharsets.UTF_8));
            }
            return String.join("&", q);
        }
    }

    /** {@code ./tagger bulk status BATCH}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Print a batch's progress as JSON.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0")
        String batchId;

        @Option(names = "--api", defaultValue = DEFAULT_API)
        String api;

        @Override
        public Integer call() throws IOException {
            BatchClient.Answer a = new BatchClient(api).status(batchId);
            System.out.println(a.raw().body());
            return a.status() == 200 ? 0 : 1;
        }
    }

    /** {@code ./tagger bulk cancel BATCH}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a batch: its pending items are neither downloaded nor tagged.")
    static final class Cancel implements Callable<Integer> {
        @Parameters(index = "0")
        String batchId;

        @Option(names = "--api", defaultValue = DEFAULT_API)
        String api;

        @Override
        public Integer call() throws IOException {
            BatchClient.Answer a = new BatchClient(api).cancel(batchId);
            System.out.println(a.raw().body());
            return a.status() == 200 ? 0 : 1;
        }
    }
}
