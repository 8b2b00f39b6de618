package tagger.api.bulk;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import tagger.api.download.DownloadException;
import tagger.api.download.GuardedPoster;
import tagger.api.http.RequestCode;
import tagger.api.http.RequestErrors;
import tagger.api.http.RequestException;
import tagger.api.tracing.HttpSpan;
import tagger.common.Json;
import tagger.transport.BatchStore;
import tagger.transport.JobPublisher;
import tagger.transport.StoreUnavailableException;

/**
 * The batch endpoints: {@code POST /v1/batches} (submit), {@code GET /v1/batches/{id}} (progress),
 * {@code GET /v1/batches/{id}/results} (NDJSON outcomes from a cursor) and {@code DELETE
 * /v1/batches/{id}} (cancel).
 *
 * <p>A submission holds its server thread while it is read and its items are confirmed by the broker
 * (about a second per 10 000 items); at most {@link #INTAKES} run at once per api-server, more are
 * shed with 429, so bulk intake never takes the threads real-time requests need.
 */
final class BatchesHandler {
    static final int INTAKES = 4;
    static final int DEFAULT_LIMIT = 1_000;
    static final int MAX_LIMIT = 10_000;
    /** Response headers of a results page. */
    static final String NEXT_CURSOR = "Tagger-Next-Cursor";
    static final String RESULTS_COMPLETE = "Tagger-Results-Complete";
    static final String BATCH_STATUS = "Tagger-Batch-Status";
    private static final Pattern CURSOR = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");

    private final BatchParser parser;
    private final BatchIntake intake;
    private final BatchStore store;
    private final JobPublisher urls;
    private final GuardedPoster poster;
    private final Clock clock;
    private final BulkMetrics metrics;
    private final Semaphore intakes = new Semaphore(INTAKES);
    private final StoreEpochs epochs;

    BatchesHandler(BatchParser parser, BatchIntake intake, BatchStore store, JobPublisher urls, GuardedPoster poster,
            Clock clock, BulkMetrics metrics, Duration retention) {
        this.parser = parser;
        this.intake = intake;
        this.store = store;
        this.urls = urls;
        this.poster = poster;
        this.clock = clock;
        this.metrics = metrics;
        this.epochs = new StoreEpochs(store, retention, clock);
    }

    void routes(RoutesConfig routes) {
        routes.post("/v1/batches", ctx -> HttpSpan.traced(ctx, "POST /v1/batches", this::submit));
        routes.get("/v1/batches/{id}", this::status);
        routes.get("/v1/batches/{id}/results", this::results);
        routes.delete("/v1/batches/{id}", this::cancel);
    }

    void submit(Context ctx) {
        if (!intakes.tryAcquire()) {
            ctx.header("Retry-After", "1");
            RequestErrors.answer(ctx, RequestCode.OVERLOADED, "this server is already accepting " + INTAKES
                    + " batches, its limit; retry after 1 s");
            return;
        }
        try {
            String key = ctx.header("Idempotency-Key");
            if (key != null && (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
                throw RequestException.invalid("Idempotency-Key must be 1-255 printable ASCII characters "
                        + "without spaces, got '" + ItemRules.abbreviate(key, 80) + "'");
            }
            Map<String, String> query = new HashMap<>();
            for (String name : new String[] {"topK", "minScore", "callbackUrl", "batchId", "targetSeconds", "deadline",
                    "cache"}) {
                query.put(name, ctx.queryParam(name));
            }
            BatchSubmission s = parser.parse(ctx.bodyInputStream(), ctx.contentType(), query);
            checkCallback(s.options().callbackUrl());
            if (s.items().isEmpty()) {
                Map<String, Object> rejected = new LinkedHashMap<>();
                rejected.put("rejectedCount", s.rejectedCount());
                rejected.put("rejected", s.rejected());
                ctx.status(RequestCode.NO_VALID_ITEMS.status()).contentType("application/json")
                        .result(Json.writeBytes(RequestErrors.body(RequestCode.NO_VALID_ITEMS, "none of the "
                                + s.rejectedCount() + " items is valid; see \"rejected\"", rejected)));
                return;
            }
            if (!urls.isReady()) {
                RequestErrors.answer(ctx, RequestCode.UNAVAILABLE, "the queue is not reachable right now; retry later");
                return;
            }
            String epoch = epochs.current();
            BatchIntake.Result result = intake.submit(s, key, HttpSpan.traceparentOf(ctx), epoch);
            if (result instanceof BatchIntake.Result.Accepted a) {
                epochs.accepted(a.batch().id(), epoch);
            }
            answer(ctx, s, result);
        } catch (RequestException e) {
            RequestErrors.answer(ctx, e);
        } catch (StoreUnavailableException e) {
            storeDown(ctx, " (" + e.getMessage() + ")");
        } finally {
            intakes.release();
        }
    }

    private void checkCallback(String callbackUrl) {
        if (callbackUrl == null) {
            return;
        }
        try {
            poster.check(callbackUrl);
        } catch (DownloadException e) {
            throw RequestException.invalid("callbackUrl is refused: " + e.getMessage());
        }
    }

    private void answer(Context ctx, BatchSubmission s, BatchIntake.Result result) {
        if (result instanceof BatchIntake.Result.Accepted a) {
            if (a.created()) {
                metrics.intake(s.items().size(), s.rejectedCount());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("batchId", a.batch().id());
            body.put("status", a.batch().state().key());
            body.put("created", a.created());
            body.put("accepted", a.batch().items());
            body.put("rejectedCount", s.rejectedCount());
            body.put("rejected", s.rejected());
            body.put("statusUrl", BatchView.statusUrl(a.batch().id()));
            body.put("resultsUrl", BatchView.statusUrl(a.batch().id()) + "/results");
            ctx.header("Location", BatchView.statusUrl(a.batch().id()));
            ctx.status(202).contentType("application/json").result(Json.writeBytes(body));
        } else if (result instanceof BatchIntake.Result.InProgress p) {
            ctx.header("Retry-After", Long.toString(BatchIntake.STALE_AFTER.toSeconds()));
            RequestErrors.answer(ctx, RequestCode.BATCH_IN_PROGRESS, "batch " + p.batchId() + " is being accepted by another request "
                    + "right now; retry after " + BatchIntake.STALE_AFTER.toSeconds() + " s");
        } else if (result instanceof BatchIntake.Result.Mismatch m) {
            RequestErrors.answer(ctx, RequestCode.IDEMPOTENCY_MISMATCH, "batch " + m.batchId() + " was submitted with other items or "
                    + "options under this Idempotency-Key (or batchId); use a new key for a new batch");
        } else if (result instanceof BatchIntake.Result.Failed f) {
            ctx.header("Retry-After", Long.toString(BatchIntake.STALE_AFTER.toSeconds()));
            RequestErrors.answer(ctx, RequestCode.UNAVAILABLE, "batch " + f.batchId() + " was not accepted: " + f.reason()
                    + "; resubmit it with the same Idempotency-Key after " + BatchIntake.STALE_AFTER.toSeconds()
                    + " s (items already queued are not tagged twice)");
        }
    }

    void status(Context ctx) {
        withBatch(ctx, b -> ctx.status(200).contentType("application/json")
                .result(Json.writeBytes(BatchView.of(b, clock.millis()))));
    }

    void results(Context ctx) {
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !CURSOR.matcher(cursor).matches()) {
            RequestErrors.answer(ctx, RequestCode.INVALID_REQUEST, "cursor must look like 1700000000000-0 (the " + NEXT_CURSOR
                    + " of an earlier page), got '" + ItemRules.abbreviate(cursor, 80) + "'");
            return;
        }
        int limit;
        try {
            limit = parseLimit(ctx.queryParam("limit"));
        } catch (RequestException e) {
            RequestErrors.answer(ctx, e);
            return;
        }
        withBatch(ctx, b -> {
            BatchStore.Page page = store.results(b.id(), cursor, limit);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (BatchStore.Entry e : page.entries()) {
                out.writeBytes(e.json().getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
            boolean end = b.complete() && page.entries().size() < limit;
            ctx.header(NEXT_CURSOR, page.next() == null ? "0-0" : page.next());
            ctx.header(RESULTS_COMPLETE, Boolean.toString(end));
            ctx.header(BATCH_STATUS, b.state().key());
            ctx.status(200).contentType("application/x-ndjson").result(out.toByteArray());
        });
    }

    static int parseLimit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RequestException.invalid("limit must be an integer between 1 and " + MAX_LIMIT + ", got '"
                + ItemRules.abbreviate(value, 40) + "'");
    }

    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            switch (store.cancel(id)) {
                case UNKNOWN -> notFoundOrLost(ctx, id);
                case ALREADY_FINISHED -> RequestErrors.answer(ctx, RequestCode.BATCH_FINISHED, "batch " + id
                        + " already finished; there is nothing left to cancel");
                case CANCELLED -> status(ctx);
            }
        } catch (StoreUnavailableException e) {
            storeDown(ctx, "");
        }
    }

    private interface BatchAction {
        void run(BatchStore.Batch batch);
    }

    private void withBatch(Context ctx, BatchAction action) {
        String id = ctx.pathParam("id");
        if (!BatchParser.BATCH_ID.matcher(id).matches()) {
            notFound(ctx, id);
            return;
        }
        try {
            Optional<BatchStore.Batch> b = store.batch(id);
            if (b.isEmpty()) {
                notFoundOrLost(ctx, id);
                return;
            }
            action.run(b.get());
        } catch (StoreUnavailableException e) {
            storeDown(ctx, "");
        }
    }

    private static void storeDown(Context ctx, String detail) {
        RequestErrors.answer(ctx, RequestCode.UNAVAILABLE, "the batch store is not reachable right now; retry later"
                + detail);
    }

    /** 410 {@code batch_lost} for a batch the store lost with its data (see {@link StoreEpochs#lost}), else 404. */
    private void notFoundOrLost(Context ctx, String id) {
        Optional<StoreEpochs.Lost> lost = epochs.lost(id);
        if (lost.isEmpty()) {
            notFound(ctx, id);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchId", id);
        body.put("status", "lost");
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", RequestCode.BATCH_LOST.code());
        error.put("message", lost.get().message());
        body.put("error", error);
        ctx.status(RequestCode.BATCH_LOST.status()).contentType("application/json").result(Json.writeBytes(body));
    }

    private static void notFound(Context ctx, String id) {
        RequestErrors.answer(ctx, RequestCode.NOT_FOUND, "no batch '" + ItemRules.abbreviate(id, 80) + "' (unknown, or past its retention)");
    }
}
