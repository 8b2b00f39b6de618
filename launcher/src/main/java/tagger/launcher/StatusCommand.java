package tagger.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tagger.common.Json;

/** {@code ./tagger status}: {@code GET /v1/cluster} of the running stack, as tables. */
@Command(name = "status", description = "Show workers, queues, api-servers, the recommended worker count and migrations.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--url", description = "An api-server or load balancer; default: the stack ./tagger up runs, else http://127.0.0.1:8080.")
    String url;

    @Option(names = "--json", description = "Print the /v1/cluster JSON as it is.")
    boolean json;

    @Option(names = "--stack-file", hidden = true, description = "The up process's stack.json.")
    Path stackFile;

    @Override
    public Integer call() throws Exception {
        String base = url;
        if (base == null) {
            base = StackFile.read(stackFile != null ? stackFile : StackFile.defaultPath()).map(StackFile::url)
                    .orElse("http://127.0.0.1:8080");
        }
        base = base.replaceAll("/+$", "");
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/cluster")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            System.err.println("nothing answers at " + base + " (" + e.getMessage() + "); start the stack with ./tagger up");
            return 2;
        }
        if (r.statusCode() != 200) {
            System.err.println(base + "/v1/cluster answered HTTP " + r.statusCode() + ": " + r.body());
            return 2;
        }
        System.out.print(json ? r.body() + "\n" : StatusTable.render(base, Json.MAPPER.readTree(r.body())));
        return 0;
    }
}
