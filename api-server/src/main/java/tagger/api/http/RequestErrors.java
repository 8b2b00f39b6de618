package tagger.api.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import tagger.api.admission.AnswerCounter;
import tagger.common.Json;

/**
 * The one writer of request-level error answers: the status and
 * {@code {"error": {"code": "...", "message": "..."}}} (see {@link ErrorBody}). Headers such as
 * {@code Retry-After} are the caller's, set before.
 */
public final class RequestErrors {
    private RequestErrors() {
    }

    public static void answer(Context ctx, RequestException e) {
        write(ctx, e.status(), e.code().code(), e.getMessage());
    }

    public static void answer(Context ctx, RequestCode code, String message) {
        write(ctx, code.status(), code.code(), message);
    }

    /**
     * Answers, and counts the request as refused before any of its images entered the flow
     * ({@link AnswerCounter#refused}).
     */
    public static void refuse(Context ctx, RequestCode code, String message) {
        refuse(ctx, code.status(), code.code(), message);
    }

    public static void refuse(Context ctx, RequestException e) {
        refuse(ctx, e.status(), e.code().code(), e.getMessage());
    }

    /** As {@link #refuse(Context, RequestCode, String)}, for a code outside {@link RequestCode} (e.g. "http_405"). */
    public static void refuse(Context ctx, int status, String code, String message) {
        AnswerCounter.refused(ctx, code);
        write(ctx, status, code, message);
    }

    /** The error body with more fields after {@code error}, in the given order. */
    public static Map<String, Object> body(RequestCode code, String message, Map<String, Object> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", ErrorBody.of(code.code(), message).error());
        body.putAll(more);
        return body;
    }

    private static void write(Context ctx, int status, String code, String message) {
        ctx.status(status).contentType("application/json").result(Json.writeBytes(ErrorBody.of(code, message)));
    }
}
