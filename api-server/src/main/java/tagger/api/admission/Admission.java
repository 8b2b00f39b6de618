package tagger.api.admission;

import io.javalin.http.Context;
import java.util.function.BooleanSupplier;
import tagger.api.http.RequestCode;
import tagger.api.http.RequestErrors;

/**
 * Decides, before a tagging request's body is read, whether it can be answered at all: the result
 * store must be reachable (else 503), the declared body must fit the byte cap (else 413, before a
 * byte of it is read) and the upload budget (else 429). Both refusals that ask the caller to come
 * back carry {@code Retry-After}.
 *
 * <p>A body without {@code Content-Length} (chunked) is charged the whole cap: what it will weigh is
 * unknown until it has been read, and reading it is what the budget protects.
 */
public final class Admission {
    /** Seconds a refused caller is asked to wait before retrying. */
    public static final String RETRY_AFTER_SECONDS = "1";
    private static final String HELD = "tagger.upload-bytes";

    private final BooleanSupplier storeUp;
    private final UploadBudget budget;
    private final long maxBodyBytes;
    private final AnswerCounter answers;

    /** @param answers counts the refusals made here (a refusal skips the after-handlers) */
    public Admission(BooleanSupplier storeUp, UploadBudget budget, long maxBodyBytes, AnswerCounter answers) {
        this.storeUp = storeUp;
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
        this.answers = answers;
    }

    /** The before-handler of {@code POST /v1/tags}. */
    public void before(Context ctx) {
        if (!"POST".equals(ctx.method().name())) {
            return;
        }
        if (!storeUp.getAsBoolean()) {
            refuse(ctx, RequestCode.UNAVAILABLE, "the result store is not reachable right now; retry after "
                    + RETRY_AFTER_SECONDS + " s");
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            // the body stays unread: close the connection after the answer instead of draining it
            ctx.header("Connection", "close");
            refuse(ctx, RequestCode.PAYLOAD_TOO_LARGE, "request body is " + declared + " bytes, the limit is "
                    + maxBodyBytes + " bytes");
            return;
        }
        long charge = declared >= 0 ? declared : maxBodyBytes;
        if (!budget.tryAcquire(charge)) {
            refuse(ctx, RequestCode.OVERLOADED, "request bodies being handled hold " + budget.held() + " of "
                    + budget.limit() + " bytes, the upload budget; retry after " + RETRY_AFTER_SECONDS + " s");
            return;
        }
        ctx.attribute(HELD, charge);
    }

    /** The after-handler of {@code /v1/tags}: gives back the body's bytes, asks shed callers to come back. */
    public void after(Context ctx) {
        Long held = ctx.attribute(HELD);
        if (held != null) {
            ctx.attribute(HELD, null);
            budget.release(held);
        }
        int status = ctx.statusCode();
        if ((status == 429 || status == 503) && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
    }

    private void refuse(Context ctx, RequestCode code, String message) {
        if (code != RequestCode.PAYLOAD_TOO_LARGE) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        RequestErrors.refuse(ctx, code, message);
        ctx.skipRemainingHandlers(); // the after-handlers too, so the refusal is counted here
        answers.count(ctx);
    }
}
