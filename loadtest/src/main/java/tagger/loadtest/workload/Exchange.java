package tagger.loadtest.workload;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * What one operation ended with, as the client saw it.
 *
 * @param scenario       the workload that issued it
 * @param status         the HTTP status, 0 when no answer arrived
 * @param transportError why no answer arrived ("timeout", "connect", "io", ...), else null
 * @param errorCode      the {@code error.code} of a refused request (e.g. "overloaded"), else null
 * @param images         images the operation asked to tag
 * @param imagesTagged   images that came back with tags
 * @param itemErrors     error codes of the images that came back without tags
 * @param serverTiming   the {@code Server-Timing} stages in milliseconds, possibly empty
 * @param detail         a short explanation for messages when it failed, else null
 */
public record Exchange(
        String scenario,
        int status,
        String transportError,
        String errorCode,
        int images,
        int imagesTagged,
        List<String> itemErrors,
        Map<String, Double> serverTiming,
        String detail) {

    /** Answered 2xx with tags for every image. */
    public boolean success() {
        return transportError == null && status / 100 == 2 && imagesTagged == images && images > 0;
    }

    /** The status bucket used in breakdowns: "200", "429", ..., or "transport:timeout". */
    public String statusKey() {
        return transportError != null ? "transport:" + transportError : Integer.toString(status);
    }

    /** No HTTP answer: classifies the exception into a short, stable kind. */
    public static Exchange transportFailure(String scenario, String fallbackKind, Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        String kind;
        if (e instanceof HttpConnectTimeoutException) {
            kind = "connect-timeout";
        } else if (e instanceof HttpTimeoutException) {
            kind = "timeout";
        } else if (e instanceof ConnectException) {
            kind = "connect";
        } else if (e instanceof java.io.IOException) {
            kind = "io";
        } else {
            kind = fallbackKind;
        }
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new Exchange(scenario, 0, kind, null, 0, 0, List.of(), Map.of(), message);
    }
}
