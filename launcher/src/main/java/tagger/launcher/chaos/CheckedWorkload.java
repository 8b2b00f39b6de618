package tagger.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import tagger.common.Json;
import tagger.loadtest.workload.Exchange;
import tagger.loadtest.workload.HttpTarget;
import tagger.loadtest.workload.Workload;

/**
 * {@code POST /v1/tags {"url": ...}} with a unique URL per call, for the load tool's driver; every answer
 * is written to a {@link Ledger} and checked: a 200 must carry tags and the URL that was asked about
 * (a result delivered to the wrong caller would carry another one).
 */
final class CheckedWorkload implements Workload {

    /** The URL of call {@code index} and what kind of origin serves it. */
    record Target(String kind, String url) {
    }

    private final HttpTarget http;
    private final URI tags;
    private final LongFunction<Target> targets;
    private final Duration clientTimeout;
    private final Ledger ledger;

    /** @param clientTimeout when the caller gives up: past the server's deadline, so a silence counts as lost */
    CheckedWorkload(HttpTarget http, URI tags, LongFunction<Target> targets, Duration clientTimeout, Ledger ledger) {
        this.http = http;
        this.tags = tags;
        this.targets = targets;
        this.clientTimeout = clientTimeout;
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "url";
    }

    @Override
    public CompletableFuture<Exchange> issue(long index, boolean faults) {
        return call(targets.apply(index), null);
    }

    /** One call recorded under {@code kind} (null: the target's own kind). */
    CompletableFuture<Exchange> call(Target target, String kind) {
        HttpRequest request = HttpRequest.newBuilder(tags).timeout(clientTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(Map.of("url", target.url())))).build();
        long sent = System.nanoTime();
        String recordedKind = kind == null ? target.kind() : kind;
        return http.call(request).handle((response, error) -> {
            long done = System.nanoTime();
            if (error != null) {
                Exchange failed = Exchange.transportFailure(name(), "other", error);
                ledger.add(new Ledger.Call(recordedKind, sent, done, 0, failed.statusKey(), null, false, failed.detail(),
                        -1));
                return failed;
            }
            return record(recordedKind, target, sent, done, response);
        });
    }

    private Exchange record(String kind, Target target, long sent, long done, HttpResponse<byte[]> response) {
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        String requestId = body == null ? null : body.path("requestId").textValue();
        String code = body == null ? null : body.path("error").path("code").textValue();
        boolean tagged = body != null && body.path("tags").isArray() && !body.path("tags").isEmpty();
        boolean wrong = status == 200 && (!tagged || !target.url().equals(body.path("url").textValue()));
        String message = body == null ? null : body.path("error").path("message").textValue();
        ledger.add(new Ledger.Call(kind, sent, done, status, status == 200 ? null : code == null ? "?" : code,
                requestId, wrong, message, body == null ? -1 : body.path("timings").path("total").asLong(-1)));
        return new Exchange(name(), status, null, code, 1, tagged ? 1 : 0, code == null ? List.of() : List.of(code),
                Map.of(), status == 200 ? null : "HTTP " + status);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0 || body[0] != '{') {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
