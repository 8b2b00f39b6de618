package tagger.api.admission;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts every answer of the tagging and batch endpoints by status ({@code tagger.api.responses}), and
 * every request refused before its images entered the flow by error code ({@code tagger.api.images},
 * the counter the flow records its own outcomes in, which the heartbeat carries to {@code /v1/cluster}
 * and the dashboard). A refused request counts as one image: how many it held may be unknown.
 */
public final class AnswerCounter {
    private static final String REFUSAL = "tagger.refusal";

    private final MeterRegistry registry;

    public AnswerCounter(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Marks {@code ctx} as refused with {@code code} before any image entered the flow. */
    public static void refused(Context ctx, String code) {
        ctx.attribute(REFUSAL, code);
    }

    /** An after-handler for every path; counts only the API routes. */
    public void count(Context ctx) {
        String route = route(ctx.path());
        if (route == null) {
            return;
        }
        Counter.builder("tagger.api.responses").description("answers of the API by route and HTTP status")
                .tag("route", route).tag("status", Integer.toString(ctx.statusCode())).register(registry)
                .increment();
        String code = ctx.attribute(REFUSAL);
        if (code != null) {
            Counter.builder("tagger.api.images").tag("outcome", code).register(registry).increment();
        }
    }

    private static String route(String path) {
        if (path.startsWith("/v1/tags")) {
            return "tags";
        }
        if (path.startsWith("/v1/batches")) {
            return "batches";
        }
        return null;
    }
}
