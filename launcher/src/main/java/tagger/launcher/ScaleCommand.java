package tagger.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tagger.common.Json;

/** {@code ./tagger scale workers N}: changes the worker processes of the running {@code ./tagger up}. */
@Command(name = "scale", description = "Change the number of worker processes of the running local stack.")
final class ScaleCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "What to scale: workers.")
    String what;

    @Parameters(index = "1", description = "How many.")
    int count;

    @Option(names = "--stack-file", hidden = true, description = "The up process's stack.json.")
    Path stackFile;

    @Override
    public Integer call() {
        if (!"workers".equals(what)) {
            System.err.println("only workers can be scaled (api-servers sit behind HAProxy's fixed list), got '" + what + "'");
            return 2;
        }
        Path file = stackFile != null ? stackFile : StackFile.defaultPath();
        Optional<StackFile> stack = StackFile.read(file);
        if (stack.isEmpty()) {
            System.err.println("no local stack is running (no " + file + "); start one with ./tagger up");
            return 2;
        }
        try {
            JsonNode r = scale(stack.get(), count);
            System.out.println(describe(r));
            return 0;
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }

    /** Asks the supervisor to scale; returns its answer ({@code before}, {@code after}, {@code started}, {@code stopped}). */
    static JsonNode scale(StackFile stack, int count) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.controlUrl() + "/workers?count=" + count))
                .header(ControlServer.TOKEN_HEADER, stack.token())
                // starting workers waits until they consume; stopping waits for their grace period
                .timeout(Duration.ofSeconds(180)).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("scaling refused: " + body.path("error").asText(r.body()));
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException("the stack recorded in stack.json (pid " + stack.pid() + ") does not answer at "
                    + stack.controlUrl() + " (" + e.getMessage() + "): it is not running any more; start one with "
                    + "./tagger up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String describe(JsonNode r) {
        int before = r.path("before").asInt();
        int after = r.path("after").asInt();
        if (before == after) {
            return "workers: " + after + " (unchanged)";
        }
        List<String> names = new ArrayList<>();
        r.path(after > before ? "started" : "stopped").forEach(n -> names.add(n.asText()));
        return "workers: " + before + " -> " + after + (after > before
                ? " (started " + String.join(", ", names) + "; consuming)"
                : " (stopped " + String.join(", ", names) + "; each finished its in-flight jobs or handed them back)");
    }
}
