package tagger.loadtest.origin;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Serves {@code GET /photo/<W>x<H>/<id>.<jpg|png>[?lat=ms&fault=kind&drip=ms]} without holding a
 * thread while it waits: delays and drips are timer tasks, writes are Jetty's non-blocking ones.
 *
 * <p>Also answers {@code POST /v1/tags} at once with a fixed tagging result: a trivial endpoint with
 * the real API's shape, to measure what the generator alone can sustain.
 */
final class OriginHandler extends Handler.Abstract.NonBlocking {
    private static final Pattern PHOTO = Pattern.compile("/photo/(\\d{1,5})x(\\d{1,5})/([A-Za-z0-9_.-]{1,200})\\.(jpg|png)");
    /** Slow-drip bodies arrive in this many pieces. */
    private static final int DRIP_PIECES = 20;
    private static final byte[] NULL_RESULT = ("{\"requestId\":\"null\",\"tags\":[{\"label\":\"null\",\"score\":1.0}],"
            + "\"model\":{\"name\":\"null\",\"version\":\"0\"},\"timings\":{\"total\":0.0,\"batchSize\":0}}")
            .getBytes(StandardCharsets.UTF_8);

    private final PhotoCorpus corpus;
    private final ScheduledExecutorService timer;
    private final OriginStats stats;

    OriginHandler(PhotoCorpus corpus, ScheduledExecutorService timer, OriginStats stats) {
        this.corpus = corpus;
        this.timer = timer;
        this.stats = stats;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if ("/v1/tags".equals(path)) {
            // read the request body fully so the connection can be reused, then answer
            Content.Source.consumeAll(request, Callback.from(() -> {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put("Server-Timing", "total;dur=0.0");
                response.write(true, ByteBuffer.wrap(NULL_RESULT), callback);
            }, callback::failed));
            return true;
        }
        Matcher m = PHOTO.matcher(path);
        if (!m.matches()) {
            stats.rejected();
            text(response, 404, "no such photo path: " + path + "; expected /photo/<W>x<H>/<id>.<jpg|png>", callback);
            return true;
        }
        Photo photo;
        Fault fault;
        try {
            photo = new Photo(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(4).equals("png") ? Photo.Format.PNG : Photo.Format.JPEG);
            Fields q = Request.extractQueryParameters(request);
            fault = Fault.fromQuery(q.getValue("lat"), q.getValue("fault"), q.getValue("drip"));
        } catch (IllegalArgumentException e) {
            stats.rejected();
            text(response, 400, e.getMessage(), callback);
            return true;
        }
        String id = m.group(3);
        stats.opened(fault.kind());
        Runnable answer = () -> answer(photo, id, fault, response, callback);
        if (fault.latencyMillis() > 0) {
            timer.schedule(answer, fault.latencyMillis(), TimeUnit.MILLISECONDS);
        } else {
            answer.run();
        }
        return true;
    }

    private void answer(Photo photo, String id, Fault fault, Response response, Callback callback) {
        switch (fault.kind()) {
            case NOT_FOUND -> error(response, 404, "photo " + id + " not found (injected fault)", callback);
            case SERVER_ERROR -> error(response, 500, "origin failed (injected fault)", callback);
            case THROTTLED -> {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                error(response, 429, "slow down (injected fault)", callback);
            }
            case NONE, TRUNCATE, DRIP -> image(photo, id, fault, response, callback);
        }
    }

    private void image(Photo photo, String id, Fault fault, Response response, Callback callback) {
        byte[] body;
        try {
            body = corpus.unique(photo, id);
        } catch (RuntimeException e) {
            stats.closed(0);
            callback.failed(e);
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, photo.format().mimeType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        ByteBuffer all = ByteBuffer.wrap(body);
        switch (fault.kind()) {
            case TRUNCATE -> {
                int half = body.length / 2;
                // failing the handler's callback after a partial write makes Jetty abort the connection:
                // the client sees fewer bytes than Content-Length promised
                response.write(false, all.slice(0, half), Callback.from(() -> {
                    stats.closed(half);
                    callback.failed(new EOFException("truncated after " + half + " of " + body.length + " bytes on purpose"));
                }, failure -> {
                    stats.closed(0);
                    callback.failed(failure);
                }));
            }
            case DRIP -> drip(all, 0, Math.max(1, fault.dripMillis() / DRIP_PIECES), response, callback);
            default -> response.write(true, all, done(body.length, callback));
        }
    }

    private void drip(ByteBuffer body, int piece, long pauseMillis, Response response, Callback callback) {
        int size = body.capacity();
        int from = (int) ((long) size * piece / DRIP_PIECES);
        int to = (int) ((long) size * (piece + 1) / DRIP_PIECES);
        boolean last = piece == DRIP_PIECES - 1;
        Callback next = last ? done(size, callback) : Callback.from(
                () -> timer.schedule(() -> drip(body, piece + 1, pauseMillis, response, callback), pauseMillis,
                        TimeUnit.MILLISECONDS),
                failure -> {
                    stats.closed(from);
                    callback.failed(failure);
                });
        response.write(last, body.slice(from, to - from), next);
    }

    private void error(Response response, int status, String message, Callback callback) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body), done(body.length, callback));
    }

    private static void text(Response response, int status, String message, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private Callback done(long bytes, Callback callback) {
        return Callback.from(() -> {
            stats.closed(bytes);
            callback.succeeded();
        }, failure -> {
            stats.closed(0);
            callback.failed(failure);
        });
    }
}
